using P2P.Testing;

namespace P2P.Consensus.Tests.Difficulty;

/// <summary>A fact that needs the ASERT vector folder: skipped, with the folder it looked for, when that is absent.</summary>
public sealed class AsertVectorsFactAttribute : FactAttribute
{
    public AsertVectorsFactAttribute()
    {
        string? folder = Folder;
        if (folder is null) Skip = "no ASERT vectors: the repository root was not found and $P2P_ASERT_VECTORS is unset";
        else if (!Directory.Exists(folder)) Skip = $"no ASERT vectors at '{folder}'; set $P2P_ASERT_VECTORS to a folder of run* files";
    }

    /// <summary>$P2P_ASERT_VECTORS, else ../shared/vectors/asert beside the repository root.</summary>
    public static string? Folder
    {
        get
        {
            string? fromEnvironment = Environment.GetEnvironmentVariable("P2P_ASERT_VECTORS");
            if (!string.IsNullOrEmpty(fromEnvironment)) return fromEnvironment;
            return RepositoryPaths.Root is null ? null : Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "vectors", "asert"));
        }
    }
}
