namespace P2P.Architecture.Tests;

/// <summary>The src projects reference each other only as docs/architecture.md's dependency rules allow.</summary>
public class DependencyRuleTests
{
    [Fact]
    public void Rules_NameEverySrcProject_AndNothingElse()
    {
        var rules = Repository.Rules();
        var areas = Repository.Projects("src").Select(p => p.Area).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(areas.Where(a => !rules.Governs(a)).Select(a => $"src project {a} has no line in docs/architecture.md's dependency rules"));
        Assert.Empty(rules.Areas.Where(a => !areas.Contains(a)).Select(a => $"the dependency rules name {a}, which is not a src project"));
        Assert.Empty(rules.Areas.SelectMany(a => rules.AllowedFor(a)).Where(t => !areas.Contains(t)).Distinct()
            .Select(t => $"the dependency rules allow {t}, which is not a src project"));
    }

    [Fact]
    public void SrcProjects_ReferenceOnlyWhatTheRulesAllow()
    {
        var rules = Repository.Rules();
        var violations = new List<string>();
        foreach (var project in Repository.Projects("src").Where(p => rules.Governs(p.Area)))
        {
            var allowed = rules.AllowedFor(project.Area);
            foreach (var reference in project.ReferencePaths)
            {
                var target = ProjectFile.Load(reference);
                string folder = Path.GetRelativePath(Repository.Root, target.Directory).Split(Path.DirectorySeparatorChar)[0];
                if (folder != "src") violations.Add($"{project.Area} → {Path.GetRelativePath(Repository.Root, reference)}: src projects reference only src projects");
                else if (!allowed.Contains(target.Area)) violations.Add($"{project.Area} → {target.Area} is not allowed (allowed: {Describe(allowed)})");
            }
        }
        Assert.Empty(violations);
    }

    private static string Describe(IReadOnlySet<string> allowed) => allowed.Count == 0 ? "nothing of ours" : string.Join(", ", allowed.Order());

    [Fact]
    public void TestAndBenchmarkReferences_Resolve_AndEveryProjectIsInTheSolution()
    {
        var projects = new[] { "src", "tests", "bench" }.SelectMany(Repository.Projects).ToList();
        Assert.Empty(projects.SelectMany(p => p.ReferencePaths.Where(r => !File.Exists(r)).Select(r => $"{p.Name} references a missing {r}")));

        string solution = File.ReadAllText(Path.Combine(Repository.Root, "P2P.sln")).Replace('\\', '/');
        Assert.Empty(projects.Select(p => Path.GetRelativePath(Repository.Root, Path.Combine(p.Directory, p.Name + ".csproj")).Replace('\\', '/'))
            .Where(path => !solution.Contains(path, StringComparison.Ordinal)).Select(path => $"{path} is not in P2P.sln"));
    }

    [Fact]
    public void Rules_AreReadFromTheArchitectureDocument()
    {
        var rules = DependencyRules.Parse("""
            # x
            ## Dependency rules
            ```
            Top → Middle, Bottom
            Middle → Bottom (its abstractions only)
            Bottom, Side → (nothing of ours)
            ```
            """);

        Assert.Equal(["Bottom", "Middle"], rules.AllowedFor("Top").Order());
        Assert.Equal(["Bottom"], rules.AllowedFor("Middle"));
        Assert.Empty(rules.AllowedFor("Bottom"));
        Assert.Empty(rules.AllowedFor("Side"));
        Assert.Throws<FormatException>(() => DependencyRules.Parse("## Dependency rules\n```\nA and B\n```"));
    }
}
