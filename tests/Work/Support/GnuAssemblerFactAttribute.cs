namespace P2P.Work.Tests.Support;

/// <summary>A fact skipped, with its reason shown, where GNU as and objcopy (binutils) are not on PATH.</summary>
public sealed class GnuAssemblerFactAttribute : FactAttribute
{
    public static string? Assembler { get; } = Find("as");
    public static string? ObjCopy { get; } = Find("objcopy");

    public GnuAssemblerFactAttribute()
    {
        if (Assembler is null || ObjCopy is null)
            Skip = "GNU as / objcopy (binutils) not on PATH: the embedded AVX512-VNNI tiles cannot be re-assembled here";
    }

    private static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
}
