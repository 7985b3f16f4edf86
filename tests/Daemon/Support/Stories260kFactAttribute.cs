namespace P2P.Daemon.Tests.Support;

/// <summary>A fact that needs the shared stories260k checkpoint ($P2P_TEST_MODELS or ../shared/models); skipped with the reason when absent.</summary>
public sealed class Stories260kFactAttribute : FactAttribute
{
    public static string? ModelDirectory { get; } = Locate();

    public Stories260kFactAttribute()
    {
        if (ModelDirectory is null)
        {
            Skip = "stories260k not found: set P2P_TEST_MODELS or place shared/models beside the repository";
        }
    }

    private static string? Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("P2P_TEST_MODELS");
        var root = !string.IsNullOrEmpty(fromEnvironment)
            ? fromEnvironment
            : Path.Combine(Directory.GetParent(RepositoryRoot.Path)?.FullName ?? RepositoryRoot.Path, "shared", "models");
        var directory = Path.Combine(root, "stories260k");
        return File.Exists(Path.Combine(directory, "model.safetensors")) ? directory : null;
    }
}
