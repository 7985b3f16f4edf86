namespace P2P.Daemon.Tests.Support;

/// <summary>The checkout this test assembly was built from (the directory holding P2P.sln).</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "P2P.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"no P2P.sln above {AppContext.BaseDirectory}");
    }

    public static string Read(string relativePath) => File.ReadAllText(System.IO.Path.Combine(Path, relativePath));
}
