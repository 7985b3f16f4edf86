namespace P2P.Testing;

/// <summary>Locates this repository (its root, the built daemon, the Python reference) from the test assembly's folder.</summary>
public static class RepositoryPaths
{
    public static string? Root { get; } = FindRoot();

    /// <summary>bin/&lt;Configuration&gt;/net10.0 of the test assembly decides which daemon build to use.</summary>
    public static string? DaemonDll
    {
        get
        {
            if (Root is null) return null;
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            string configuration = framework.Parent?.Name ?? "Release";
            string path = Path.Combine(Root, "src", "Daemon", "bin", configuration, framework.Name, "p2pd.dll");
            return File.Exists(path) ? path : null;
        }
    }

    public static string? PythonReference =>
        Root is null ? null : Path.Combine(Root, "tests", "Work", "reference", "work1.py") is var p && File.Exists(p) ? p : null;

    private static string? FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "P2P.sln")))
                return dir.FullName;
        return null;
    }
}
