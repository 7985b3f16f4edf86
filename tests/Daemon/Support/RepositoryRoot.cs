using P2P.Testing;

namespace P2P.Daemon.Tests.Support;

/// <summary>The checkout this test assembly was built from (the directory holding P2P.sln); the daemon's tests need one.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = RepositoryPaths.Root ?? throw new InvalidOperationException($"no P2P.sln above {AppContext.BaseDirectory}");

    public static string Read(string relativePath) => File.ReadAllText(System.IO.Path.Combine(Path, relativePath));
}
