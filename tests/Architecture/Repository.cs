using P2P.Testing;

namespace P2P.Architecture.Tests;

/// <summary>The repository's project files, found from the test assembly's folder.</summary>
public static class Repository
{
    public static string Root => RepositoryPaths.Root ?? throw new InvalidOperationException("P2P.sln not found above " + AppContext.BaseDirectory);

    /// <summary>Projects under src/, tests/ or bench/ (each one folder deep).</summary>
    public static IReadOnlyList<ProjectFile> Projects(string folder) =>
        Directory.EnumerateDirectories(Path.Combine(Root, folder))
            .SelectMany(d => Directory.EnumerateFiles(d, "*.csproj"))
            .Order(StringComparer.Ordinal)
            .Select(ProjectFile.Load)
            .ToList();

    public static DependencyRules Rules() => DependencyRules.Parse(File.ReadAllText(Path.Combine(Root, "docs", "architecture.md")));
}
