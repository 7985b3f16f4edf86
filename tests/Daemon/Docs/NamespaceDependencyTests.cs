using System.Text.RegularExpressions;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Docs;

/// <summary>The daemon's folders (one namespace each) depend on each other without cycles; <c>Hosting</c> composes them.</summary>
public partial class NamespaceDependencyTests
{
    [Fact]
    public void DaemonFolders_HaveNoNamespaceCycles()
    {
        var graph = DaemonNamespaceGraph();
        var cycle = FindCycle(graph);
        Assert.True(cycle is null, $"namespace cycle in src/Daemon: {string.Join(" → ", cycle ?? [])}\n" +
            string.Join("\n", graph.OrderBy(g => g.Key).Select(g => $"{g.Key} → {string.Join(", ", g.Value.Order())}")));
    }

    [Fact]
    public void OnlyTheCompositionRootAndTheCommandLine_KnowEveryArea()
    {
        var graph = DaemonNamespaceGraph();
        foreach (var area in new[] { "Network", "Pubsub", "Storage", "Node" })
        {
            var users = graph.Where(g => g.Value.Contains(area)).Select(g => g.Key).ToHashSet();
            users.ExceptWith(["Hosting", "Cli"]);
            Assert.True(users.Count == 0 || area == "Node", $"{area} is used by {string.Join(", ", users)}");
        }
        Assert.DoesNotContain("Hosting", graph["Api"]);
    }

    private static Dictionary<string, HashSet<string>> DaemonNamespaceGraph()
    {
        var root = Path.Combine(RepositoryRoot.Path, "src", "Daemon");
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var folder in Directory.GetDirectories(root).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj" or "Properties")))
        {
            var uses = graph[folder!] = [];
            foreach (var file in Directory.GetFiles(Path.Combine(root, folder!), "*.cs", SearchOption.AllDirectories))
            {
                foreach (Match match in DaemonNamespace().Matches(File.ReadAllText(file)))
                {
                    if (match.Groups[1].Value != folder) uses.Add(match.Groups[1].Value);
                }
            }
        }
        return graph;
    }

    private static List<string>? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var state = new Dictionary<string, int>();
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? [])
            {
                if (state.GetValueOrDefault(next) == 1) return [.. path.SkipWhile(n => n != next), next];
                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found) return found;
            }
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }
        foreach (var node in graph.Keys)
        {
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } cycle) return cycle;
        }
        return null;
    }

    [GeneratedRegex(@"\bP2P\.Daemon\.(\w+)")]
    private static partial Regex DaemonNamespace();
}
