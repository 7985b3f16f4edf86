using P2P.Consensus.Encoding;

namespace P2P.Consensus.Ledger;

/// <summary>Pending writes over a reader: a block is applied here, and only a fully valid block's writes reach the database.</summary>
public sealed class StateOverlay(IStateReader parent) : IStateReader
{
    private readonly Dictionary<byte[], byte[]?> _writes = new(ByteArrayComparer.Instance);

    /// <summary>Written keys with their new value (null: deleted).</summary>
    public IReadOnlyDictionary<byte[], byte[]?> Writes => _writes;

    public byte[]? Get(byte[] key) => _writes.TryGetValue(key, out var value) ? value : parent.Get(key);

    public IEnumerable<byte[]> KeysWithPrefix(byte[] prefix)
    {
        var keys = new HashSet<byte[]>(parent.KeysWithPrefix(prefix), ByteArrayComparer.Instance);
        foreach (var (key, value) in _writes)
        {
            if (!key.AsSpan().StartsWith(prefix)) continue;
            if (value is null) keys.Remove(key); else keys.Add(key);
        }
        return keys;
    }

    public void Put(byte[] key, byte[] value) => _writes[key] = value;

    public void Delete(byte[] key) => _writes[key] = null;

    /// <summary>Copies this overlay's writes into <paramref name="target"/> (a child overlay accepted into its parent).</summary>
    public void MergeInto(StateOverlay target)
    {
        foreach (var (key, value) in _writes) target._writes[key] = value;
    }
}
