namespace P2P.Architecture.Tests;

/// <summary>
/// Inside each src project the namespaces form no cycle: every file's code is scanned for the project's own types
/// and extension methods (comments and strings left out), resolved through its namespace and usings
/// (<see cref="NamespaceGraph"/>), and the graph's strongly connected components must be single namespaces.
/// </summary>
public class NamespaceCycleTests
{
    /// <summary>
    /// Cycles still to be removed; delete each line when its cycle is gone (the test below fails as a reminder).
    /// </summary>
    private static readonly string[][] KnownCycles = [];

    public static TheoryData<string> SrcProjects() => new(Repository.Projects("src").Select(p => p.Area));

    [Theory]
    [MemberData(nameof(SrcProjects))]
    public void Namespaces_FormNoCycle(string area)
    {
        var project = Repository.Projects("src").Single(p => p.Area == area);
        var graph = NamespaceGraph.Build(project.Sources(), project.Usings);

        var unexpected = graph.Cycles().Where(c => !KnownCycles.Any(k => k.Order().SequenceEqual(c))).ToList();

        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected.Select(c => Describe(graph, c))));
    }

    [Fact]
    public void KnownCycles_AreStillCycles()
    {
        var cycles = Repository.Projects("src").SelectMany(p => NamespaceGraph.Build(p.Sources(), p.Usings).Cycles()).ToList();

        Assert.Empty(KnownCycles.Where(k => !cycles.Any(c => c.SequenceEqual(k.Order())))
            .Select(k => $"{string.Join(" ↔ ", k)} is no longer a cycle: remove it from KnownCycles"));
    }

    private static string Describe(NamespaceGraph graph, IReadOnlyList<string> cycle) =>
        "cycle: " + string.Join(", ", cycle) + "\n" + string.Join("\n", cycle.SelectMany(from => graph.UsesOf(from)
            .Where(use => cycle.Contains(use.Key)).Select(use => $"  {from} → {use.Key} ({use.Value})")));
}
