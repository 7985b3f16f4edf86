using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Docs;

/// <summary>docs/operations.md documents every configuration key, with the default the code has.</summary>
public class OperationsDocTests
{
    [Fact]
    public void Operations_ConfigurationTable_IsTheOneGeneratedFromTheOptionsClasses()
    {
        var path = Path.Combine(RepositoryRoot.Path, "docs", "operations.md");
        var operations = File.ReadAllText(path);
        var begin = operations.IndexOf(ConfigurationTable.Begin, StringComparison.Ordinal);
        var end = operations.IndexOf(ConfigurationTable.End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"docs/operations.md lacks the markers {ConfigurationTable.Begin} … {ConfigurationTable.End}");
        var expected = ConfigurationTable.Render(RepositoryRoot.Read("README.md"));
        var actual = operations[(begin + ConfigurationTable.Begin.Length)..end].Trim('\n') + "\n";
        if (actual != expected && Environment.GetEnvironmentVariable("P2P_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, operations[..(begin + ConfigurationTable.Begin.Length)] + "\n" + expected + operations[end..]);
            return;
        }
        Assert.True(actual == expected, $"docs/operations.md's configuration table is out of date (a key was added, removed or changed its default); run this test with P2P_UPDATE_DOCS=1 or paste:\n{expected}");
    }
}
