using System.Xml.Linq;

namespace P2P.Architecture.Tests;

/// <summary>A .csproj of this repository: its name, folder, project references, global usings and sources.</summary>
public sealed record ProjectFile(string Name, string Directory, IReadOnlyList<string> References, IReadOnlyList<string> ReferencePaths, IReadOnlyList<string> Usings)
{
    /// <summary>The project's short name: P2P.Consensus → Consensus, P2P.Bench.Work → Bench.Work.</summary>
    public string Area => Name.StartsWith("P2P.", StringComparison.Ordinal) ? Name["P2P.".Length..] : Name;

    public static ProjectFile Load(string path)
    {
        var xml = XDocument.Load(path);
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var referencePaths = xml.Descendants("ProjectReference")
            .Select(r => Path.GetFullPath(Path.Combine(directory, ((string?)r.Attribute("Include") ?? "").Replace('\\', Path.DirectorySeparatorChar))))
            .ToList();
        var usings = xml.Descendants("Using").Select(u => (string?)u.Attribute("Include")).OfType<string>().ToList();
        return new ProjectFile(Path.GetFileNameWithoutExtension(path), directory,
            referencePaths.Select(Path.GetFileNameWithoutExtension).OfType<string>().ToList(), referencePaths, usings);
    }

    /// <summary>The project's own C# and .proto files (bin/ and obj/ left out), parsed.</summary>
    public IReadOnlyList<SourceFile> Sources()
    {
        var files = new List<SourceFile>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*.*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(Directory, path);
            if (relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) ||
                relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
            if (path.EndsWith(".cs", StringComparison.Ordinal)) files.Add(SourceFile.Parse(relative, File.ReadAllText(path)));
            else if (path.EndsWith(".proto", StringComparison.Ordinal)) files.Add(SourceFile.ParseProto(relative, File.ReadAllText(path)));
        }
        return files;
    }
}
