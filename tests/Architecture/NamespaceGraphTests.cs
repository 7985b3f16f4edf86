namespace P2P.Architecture.Tests;

/// <summary>The source scanner behind <see cref="NamespaceCycleTests"/>, on small made-up projects.</summary>
public class NamespaceGraphTests
{
    private static NamespaceGraph Graph(params (string Path, string Source)[] files) =>
        NamespaceGraph.Build(files.Select(f => SourceFile.Parse(f.Path, f.Source)).ToList(), []);

    [Fact]
    public void TypeUse_ThroughAUsing_IsAnEdge_AndAMutualUseIsACycle()
    {
        var graph = Graph(
            ("A/Alpha.cs", "using Demo.B;\nnamespace Demo.A;\npublic class Alpha { Beta? _b; }"),
            ("B/Beta.cs", "using Demo.A;\nnamespace Demo.B;\npublic class Beta { public Alpha Make() => new(); }"));

        Assert.Equal("A/Alpha.cs: Beta", graph.UsesOf("Demo.A")["Demo.B"]);
        Assert.Equal(["Demo.A", "Demo.B"], Assert.Single(graph.Cycles()));
    }

    [Fact]
    public void UnusedUsings_CommentsAndStrings_AddNoEdge()
    {
        var graph = Graph(
            ("A/Alpha.cs", "using Demo.B;\nnamespace Demo.A;\n// Beta\n/* Beta */\npublic class Alpha { string s = \"Beta\"; string t = @\"Beta\"\"\"; char c = '\"'; string r = \"\"\"\n Beta \"\"\"; }"),
            ("B/Beta.cs", "using Demo.A;\nnamespace Demo.B;\npublic class Beta { Alpha? _a; }"));

        Assert.Empty(graph.UsesOf("Demo.A"));
        Assert.Empty(graph.Cycles());
    }

    [Fact]
    public void EnclosingNamespaceTypes_QualifiedNames_AndExtensionMethods_AreEdges()
    {
        var graph = Graph(
            ("Root.cs", "namespace Demo;\npublic sealed class Settings { }"),
            ("A/Alpha.cs", "namespace Demo.A;\npublic static class Alpha { public static void Go(this int x) { } public static Settings S = new(); }"),
            ("B/Beta.cs", "namespace Demo.B;\npublic class Beta { void F() => 3.Go(); }"),
            ("C/Gamma.cs", "namespace Demo.C;\npublic class Gamma { object G() => A.Alpha.S; }"));

        Assert.Contains("Demo", graph.UsesOf("Demo.A").Keys);
        Assert.Empty(graph.UsesOf("Demo.B"));
        Assert.Contains("Demo.A", graph.UsesOf("Demo.C").Keys);

        var imported = Graph(
            ("A/Alpha.cs", "namespace Demo.A;\npublic static class Alpha { public static void Go(this int x) { } }"),
            ("B/Beta.cs", "using Demo.A;\nnamespace Demo.B;\npublic class Beta { void F() => 3.Go(); }"));
        Assert.Equal("B/Beta.cs: Go", imported.UsesOf("Demo.B")["Demo.A"]);
    }

    [Fact]
    public void StatementUsings_AreCode_NotDirectives()
    {
        var graph = Graph(
            ("A/Alpha.cs", "namespace Demo.A;\npublic class Alpha { void F() { using var b = Demo.B.Beta.Open(); } }"),
            ("B/Beta.cs", "namespace Demo.B;\npublic class Beta : System.IDisposable { public static Beta Open() => new(); public void Dispose() { } }"));

        Assert.Contains("Demo.B", graph.UsesOf("Demo.A").Keys);
    }
}
