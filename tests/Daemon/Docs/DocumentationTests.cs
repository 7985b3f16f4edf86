using System.Reflection;
using System.Text.RegularExpressions;
using P2P.Daemon.Cli;
using P2P.Daemon.Hosting;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Docs;

/// <summary>The README and architecture document describe what is built, not what was once planned.</summary>
public class DocumentationTests
{
    private static IEnumerable<(string Section, PropertyInfo Property)> Keys() =>
        ConfigSections.All.SelectMany(s => s.OptionsType.GetProperties().Where(p => p.CanWrite).Select(p => (s.Name, p)));

    [Fact]
    public void Readme_DocumentsEveryConfigurationKey_WithItsDefault()
    {
        var readme = RepositoryRoot.Read("README.md");
        foreach (var (section, property) in Keys())
        {
            var row = readme.Split('\n').FirstOrDefault(l => l.StartsWith($"| `{section}:{property.Name}", StringComparison.Ordinal));
            Assert.True(row is not null, $"README lacks a row for {section}:{property.Name}");
            var defaults = Activator.CreateInstance(ConfigSections.All.Single(s => s.Name == section).OptionsType)!;
            var value = property.GetValue(defaults);
            if (value is string or int or bool or Enum)
            {
                var text = value is bool b ? (b ? "true" : "false") : value.ToString()!;
                Assert.Contains($"`{text}`", row);
            }
        }
    }

    [Fact]
    public void Readme_ListsEveryExitCode()
    {
        var readme = RepositoryRoot.Read("README.md");
        foreach (var field in typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
            Assert.Matches($@"(?m)^\| {field.GetValue(null)} \| ", readme);
    }

    [Fact]
    public void Readme_NamesTheRunAndTestCommands()
    {
        var readme = RepositoryRoot.Read("README.md");
        Assert.Contains("dotnet run --project src/Daemon -- init", readme);
        Assert.Contains("dotnet run --project src/Daemon -- run", readme);
        Assert.Contains("scripts/test.sh", readme);
        Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, "scripts", "test.sh")));
        Assert.Contains("scripts/test.sh", RepositoryRoot.Read(".ci/run"));
    }

    [Fact]
    public void Architecture_DescribesEveryDaemonFolder_AndEveryPublicStorageType()
    {
        var architecture = RepositoryRoot.Read("docs/architecture.md");
        foreach (var folder in Directory.GetDirectories(Path.Combine(RepositoryRoot.Path, "src", "Daemon")).Select(Path.GetFileName))
        {
            if (folder is "bin" or "obj" or "Properties") continue;
            Assert.Contains($"`{folder}/`", architecture);
        }
        var storageTypes = typeof(P2P.Storage.LevelDatabase).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "P2P.Storage" && t != typeof(P2P.Storage.LevelDbErrorKind));
        foreach (var type in storageTypes) Assert.Contains($"`{type.Name}`", architecture);
    }

    [Fact]
    public void Docs_LinkedFromTheReadme_Exist()
    {
        var readme = RepositoryRoot.Read("README.md");
        foreach (Match link in Regex.Matches(readme, @"\]\((docs/[^)#]+)(?:#([^)]+))?\)"))
        {
            var path = Path.Combine(RepositoryRoot.Path, link.Groups[1].Value);
            Assert.True(File.Exists(path), link.Value);
            if (link.Groups[2].Success)
            {
                // GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens.
                var anchors = File.ReadLines(path).Where(l => l.StartsWith('#'))
                    .Select(l => Regex.Replace(l.TrimStart('#').Trim().ToLowerInvariant(), @"[^\w\- ]", "").Replace(' ', '-'));
                Assert.True(anchors.Contains(link.Groups[2].Value), $"{link.Value}: no heading with that anchor");
            }
        }
    }
}
