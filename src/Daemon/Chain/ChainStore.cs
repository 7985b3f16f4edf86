using P2P.Consensus.Encoding;
using P2P.Consensus.Genesis;
using P2P.Consensus.State;
using P2P.Daemon.Configuration;
using P2P.Storage;

namespace P2P.Daemon.Chain;

/// <summary>Opens the chain state in the node's database, refusing a database initialised for another chain (exit 2).</summary>
public static class ChainStore
{
    /// <exception cref="ConfigurationException">the database belongs to another chain.</exception>
    /// <exception cref="IOException">the stored chain fails its consistency checks.</exception>
    public static ChainState Open(LevelDatabase database, GenesisConfig genesis, DataDirectory dataDirectory)
    {
        try
        {
            return ChainState.Open(database, genesis);
        }
        catch (ChainCorruptException e) when (e.Message.Contains("holds chain", StringComparison.Ordinal))
        {
            throw new ConfigurationException(dataDirectory.Path,
                $"this data directory was initialised for another chain ({e.Message}); genesis {genesis.ChainName} has chain id {Hashing.Hex(genesis.ChainId)}. Use the genesis it was created with, or another --data-dir", e);
        }
        catch (ChainCorruptException e)
        {
            throw new IOException($"chain state in {dataDirectory.Path} is inconsistent: {e.Message}", e);
        }
    }
}
