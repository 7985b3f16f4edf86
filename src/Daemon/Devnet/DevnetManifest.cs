using System.Text.Json;

namespace P2P.Daemon.Devnet;

/// <summary>
/// <c>devnet.json</c> in the devnet directory: the chain, the served model and the nodes. Written once by <c>devnet up</c>;
/// its presence is what marks a directory as a devnet (so that <c>down</c> never removes anything else).
/// </summary>
public sealed record DevnetManifest(string Directory, string ChainId, string GenesisFile, string? ModelSpec, IReadOnlyList<DevnetNode> Nodes)
{
    public const string FileName = "devnet.json";

    /// <summary>A manifest is small; anything larger is not one of ours.</summary>
    private const long MaxBytes = 1 << 20;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web) { WriteIndented = true };

    public static string PathIn(string directory) => System.IO.Path.Combine(directory, FileName);

    /// <summary>The manifest in <paramref name="directory"/>, or null when there is none.</summary>
    /// <exception cref="InvalidDataException">the file exists but is not a devnet manifest.</exception>
    public static DevnetManifest? Load(string directory)
    {
        var path = PathIn(directory);
        if (!File.Exists(path)) return null;
        if (new FileInfo(path).Length > MaxBytes) throw new InvalidDataException($"{path} is larger than a devnet manifest");
        try
        {
            var manifest = JsonSerializer.Deserialize<DevnetManifest>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} is empty");
            if (manifest.Nodes is null || manifest.Nodes.Count == 0) throw new InvalidDataException($"{path} lists no nodes");
            return manifest;
        }
        catch (JsonException failure)
        {
            throw new InvalidDataException($"{path} is not a devnet manifest: {failure.Message}", failure);
        }
    }

    /// <summary>Written to a temporary name and renamed, so that a crash never leaves half a manifest.</summary>
    public void Save()
    {
        var path = PathIn(Directory);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }

    public DevnetNode? Node(string name) => Nodes.FirstOrDefault(n => n.Name == name);
}
