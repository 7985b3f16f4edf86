namespace P2P.Daemon.Tests.Support;

/// <summary>A fact skipped, with the reason shown, when a program it runs is not installed.</summary>
public sealed class RequiresProgramFactAttribute : FactAttribute
{
    public RequiresProgramFactAttribute(string program)
    {
        if (Find(program) is null) Skip = $"{program} is not installed";
    }

    public static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':')
            .Append("/usr/bin").Append("/bin")
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
