using P2P.Consensus.Ledger;
using P2P.Storage;

namespace P2P.Consensus.State;

/// <summary>Reads committed state straight from LevelDB.</summary>
public sealed class DatabaseStateReader(LevelDatabase database) : IStateReader
{
    public byte[]? Get(byte[] key) => database.Get(key);

    public IEnumerable<byte[]> KeysWithPrefix(byte[] prefix) => database.ScanPrefix(prefix, fillCache: false).Select(kv => kv.Key);
}
