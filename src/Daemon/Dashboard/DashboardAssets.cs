using System.Collections.Frozen;
using System.Resources;

namespace P2P.Daemon.Dashboard;

/// <summary>The dashboard's files, embedded in the daemon assembly (Assets/*, no build step) and read once.</summary>
public static class DashboardAssets
{
    private const string ResourcePrefix = "P2P.Daemon.Dashboard.";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary();

    private static readonly Lazy<FrozenDictionary<string, byte[]>> Files = new(Load);

    /// <summary>The file named <paramref name="name"/> (e.g. <c>app.js</c>) and its content type, or null.</summary>
    public static (byte[] Content, string ContentType)? Find(string name) =>
        Files.Value.TryGetValue(name, out var content) && ContentTypes.TryGetValue(Path.GetExtension(name), out var type) ? (content, type) : null;

    public static IEnumerable<string> Names => Files.Value.Keys;

    private static FrozenDictionary<string, byte[]> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource) ?? throw new MissingManifestResourceException(resource);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[resource[ResourcePrefix.Length..]] = copy.ToArray();
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
