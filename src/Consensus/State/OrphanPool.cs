using P2P.Consensus.Blocks;

namespace P2P.Consensus.State;

/// <summary>Blocks whose parent is unknown, bounded by count and bytes; the oldest go first.</summary>
public sealed class OrphanPool(int maxCount, long maxBytes)
{
    private readonly Dictionary<string, (Block Block, int Size)> _byHash = new();
    private readonly Dictionary<string, List<string>> _byParent = new();
    private readonly LinkedList<string> _arrival = new();
    private long _bytes;

    public int Count => _byHash.Count;
    public long Bytes => _bytes;

    public bool Contains(byte[] hash) => _byHash.ContainsKey(Convert.ToHexString(hash));

    public bool Add(Block block, byte[] hash)
    {
        string key = Convert.ToHexString(hash);
        int size = block.EncodedLength;
        if (_byHash.ContainsKey(key) || size > maxBytes || maxCount <= 0) return false;
        while (_byHash.Count >= maxCount || _bytes + size > maxBytes) Remove(_arrival.First!.Value);
        _byHash[key] = (block, size);
        string parent = Convert.ToHexString(block.Header.ParentHash);
        if (!_byParent.TryGetValue(parent, out var children)) _byParent[parent] = children = [];
        children.Add(key);
        _arrival.AddLast(key);
        _bytes += size;
        return true;
    }

    /// <summary>Removes and returns the orphans whose parent is <paramref name="parentHash"/>.</summary>
    public List<Block> TakeChildren(byte[] parentHash)
    {
        var result = new List<Block>();
        if (!_byParent.TryGetValue(Convert.ToHexString(parentHash), out var children)) return result;
        foreach (var child in children.ToList())
        {
            result.Add(_byHash[child].Block);
            Remove(child);
        }
        return result;
    }

    private void Remove(string key)
    {
        if (!_byHash.Remove(key, out var entry)) return;
        _bytes -= entry.Size;
        _arrival.Remove(key);
        string parent = Convert.ToHexString(entry.Block.Header.ParentHash);
        if (_byParent.TryGetValue(parent, out var siblings))
        {
            siblings.Remove(key);
            if (siblings.Count == 0) _byParent.Remove(parent);
        }
    }
}
