using P2P.Consensus.Genesis;
using P2P.Daemon.Configuration;

namespace P2P.Daemon.Chain;

/// <summary>
/// Which genesis the node runs: <c>Chain:Genesis</c>, or with <c>--devnet</c> the devnet defaults written once to
/// <c>devnet-genesis.json</c> in the data directory (timestamp: the current hour, so that nodes started within the
/// same hour agree without sharing a file, and a restart keeps its chain). ASERT is anchored at the genesis time,
/// so a devnet genesis must be recent: one from long ago would make every hash a block until the chain caught up.
/// </summary>
public static class ChainGenesis
{
    public const string DevnetFileName = "devnet-genesis.json";

    /// <exception cref="ConfigurationException">the genesis file is unreadable or invalid.</exception>
    public static GenesisConfig? Resolve(ChainOptions options, DataDirectory dataDirectory, TimeProvider time)
    {
        if (!options.Enabled) return null;
        var path = options.Devnet ? Path.Combine(dataDirectory.Path, DevnetFileName) : dataDirectory.Resolve(options.Genesis);
        if (options.Devnet && !File.Exists(path))
        {
            long now = time.GetUtcNow().ToUnixTimeSeconds();
            var devnet = GenesisConfig.Devnet(now - now % 3600);
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, devnet.ToJson());
            File.Move(temporary, path, overwrite: true);
        }
        try
        {
            return GenesisConfig.Load(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidDataException or System.Text.Json.JsonException or ArgumentException)
        {
            throw new ConfigurationException(options.Devnet ? path : "Chain:Genesis", $"genesis {path} is not usable: {e.Message}", e);
        }
    }
}
