using System.Security.Cryptography;

namespace P2P.Daemon.Tests.Support;

/// <summary>Every file under a directory with its content hash and mode, to show that a refused command changed nothing.</summary>
public static class DirectorySnapshot
{
    /// <param name="ignore">Relative paths (with '/') left out, e.g. files another process writes meanwhile.</param>
    public static IReadOnlyList<string> Take(string root, Func<string, bool>? ignore = null)
    {
        if (!Directory.Exists(root)) return [];
        return Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(path => (Path: path, Relative: Path.GetRelativePath(root, path).Replace('\\', '/')))
            .Where(e => ignore is null || !ignore(e.Relative))
            .Select(e => Directory.Exists(e.Path)
                ? $"{e.Relative}/ {Mode(e.Path)}"
                : $"{e.Relative} {Mode(e.Path)} {Content(e.Path)}")
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>A hash of the content; a file another process holds locked (p2pd.lock) is described by its length.</summary>
    private static string Content(string path)
    {
        try
        {
            return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        }
        catch (IOException)
        {
            return $"locked, {new FileInfo(path).Length} bytes";
        }
    }

    private static string Mode(string path) => OperatingSystem.IsWindows() ? "" : Convert.ToString((int)File.GetUnixFileMode(path), 8);
}
