using P2P.Consensus.Blocks;
using P2P.Consensus.Encoding;

namespace P2P.Consensus.Pools;

/// <summary>
/// Receipts, verdicts and service declarations waiting to be included, bounded by <see cref="PoolLimits"/>; when full
/// the oldest goes first. Items the chain has moved past (an older epoch) are pruned. Thread-safe.
/// </summary>
public sealed class AccountabilityPool(PoolLimits limits)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (BodyItem Item, long Arrival)> _byId = new(StringComparer.Ordinal);
    private long _arrivals, _bytes;

    public int Count { get { lock (_gate) return _byId.Count; } }

    public long Bytes { get { lock (_gate) return _bytes; } }

    /// <summary>The pool's key of an item: SHA-256 of its encoding.</summary>
    public static string IdOf(BodyItem item) => Convert.ToHexString(Hashing.Sha256(item.Encode()));

    /// <summary>Adds a receipt, verdict or declaration; false when it is already pooled, of another type, or evicted at once.</summary>
    public bool Add(BodyItem item)
    {
        if (item is not (Receipt or Verdict or ServiceDeclaration)) return false;
        var id = IdOf(item);
        lock (_gate)
        {
            if (_byId.ContainsKey(id)) return false;
            _byId[id] = (item, _arrivals++);
            _bytes += BodyItem.LengthOf(item.Type);
            while (_byId.Count > limits.MaxCount || _bytes > limits.MaxBytes)
            {
                var oldest = _byId.MinBy(e => e.Value.Arrival);
                _byId.Remove(oldest.Key);
                _bytes -= BodyItem.LengthOf(oldest.Value.Item.Type);
            }
            return _byId.ContainsKey(id);
        }
    }

    public bool Contains(BodyItem item)
    {
        lock (_gate) return _byId.ContainsKey(IdOf(item));
    }

    /// <summary>Every pooled item, oldest first (the block template orders them by type).</summary>
    public IReadOnlyList<BodyItem> Candidates()
    {
        lock (_gate) return _byId.Values.OrderBy(e => e.Arrival).Select(e => e.Item).ToList();
    }

    /// <summary>
    /// Drops what no block from <paramref name="nextEpoch"/> on can include: declarations of another epoch, receipts and
    /// verdicts signed more than one epoch back (or ahead), and verdicts <paramref name="isSettled"/> says need no more votes.
    /// </summary>
    public int Prune(ulong nextEpoch, Func<Verdict, bool> isSettled)
    {
        lock (_gate)
        {
            var stale = _byId.Where(e => e.Value.Item switch
            {
                Receipt r => r.Epoch + 1 < nextEpoch || r.Epoch > nextEpoch,
                ServiceDeclaration d => d.Epoch != nextEpoch,
                Verdict v => v.Epoch + 1 < nextEpoch || v.Epoch > nextEpoch || isSettled(v),
                _ => true,
            }).Select(e => e.Key).ToList();
            foreach (var id in stale) Remove(id);
            return stale.Count;
        }
    }

    /// <summary>Removes the items a block included.</summary>
    public void RemoveIncluded(Block block)
    {
        lock (_gate)
        {
            foreach (var item in block.Items)
                if (item is Receipt or Verdict or ServiceDeclaration) Remove(IdOf(item));
        }
    }

    private void Remove(string id)
    {
        if (_byId.Remove(id, out var entry)) _bytes -= BodyItem.LengthOf(entry.Item.Type);
    }
}
