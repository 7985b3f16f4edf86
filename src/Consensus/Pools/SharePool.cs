using P2P.Consensus.Blocks;
using P2P.Consensus.Metrics;

namespace P2P.Consensus.Pools;

/// <summary>
/// Shares waiting to be included in a block, bounded by <see cref="PoolLimits"/>; when full the oldest is evicted.
/// A share can only be included in its own epoch within W blocks of its parent (docs/consensus.md §4.3), so
/// <see cref="Prune"/> drops the ones the chain has moved past. Thread-safe.
/// </summary>
public sealed class SharePool(PoolLimits limits)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<Share>> _byId = new(StringComparer.Ordinal);
    private readonly LinkedList<Share> _oldestFirst = new();

    public int Count { get { lock (_gate) return _byId.Count; } }

    public long Bytes { get { lock (_gate) return (long)_byId.Count * Share.EncodedLength; } }

    /// <summary>Adds the share; false when it is already pooled. Evicts the oldest shares to stay within the limits.</summary>
    public bool Add(Share share)
    {
        var id = Convert.ToHexString(share.Id());
        lock (_gate)
        {
            if (_byId.ContainsKey(id)) return false;
            _byId[id] = _oldestFirst.AddLast(share);
            while (_byId.Count > limits.MaxCount || (long)_byId.Count * Share.EncodedLength > limits.MaxBytes) RemoveNode(_oldestFirst.First!);
            if (!_byId.ContainsKey(id)) return false;
            ConsensusMetrics.SharePooled();
            return true;
        }
    }

    public bool Contains(byte[] shareId)
    {
        lock (_gate) return _byId.ContainsKey(Convert.ToHexString(shareId));
    }

    /// <summary>The shares a block at <paramref name="nextHeight"/> of <paramref name="nextEpoch"/> may include (oldest first); the template builder checks each against the ledger.</summary>
    public IReadOnlyList<Share> Candidates(ulong nextHeight, ulong nextEpoch, int window)
    {
        lock (_gate)
        {
            return _oldestFirst.Where(s => Includable(s, nextHeight, nextEpoch, window)).ToList();
        }
    }

    /// <summary>Drops the shares no block after the current head can include any more.</summary>
    public int Prune(ulong nextHeight, ulong nextEpoch, int window)
    {
        lock (_gate)
        {
            var stale = _oldestFirst.Where(s => s.Header.Epoch < nextEpoch || (s.Header.Height < nextHeight && nextHeight - s.Header.Height >= (ulong)window)).ToList();
            foreach (var share in stale) Remove(share);
            return stale.Count;
        }
    }

    /// <summary>Removes the shares a block included.</summary>
    public void RemoveIncluded(Block block)
    {
        lock (_gate)
        {
            foreach (var share in block.Items.OfType<Share>()) Remove(share);
        }
    }

    private static bool Includable(Share share, ulong nextHeight, ulong nextEpoch, int window) =>
        share.Header.Epoch == nextEpoch && share.Header.Height <= nextHeight && nextHeight - share.Header.Height < (ulong)window;

    private void Remove(Share share)
    {
        if (_byId.TryGetValue(Convert.ToHexString(share.Id()), out var node)) RemoveNode(node);
    }

    private void RemoveNode(LinkedListNode<Share> node)
    {
        _byId.Remove(Convert.ToHexString(node.Value.Id()));
        _oldestFirst.Remove(node);
    }
}
