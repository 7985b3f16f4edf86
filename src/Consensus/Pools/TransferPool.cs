using P2P.Consensus.Blocks;
using P2P.Consensus.Encoding;

namespace P2P.Consensus.Pools;

/// <summary>
/// Signed transfers waiting to be included, bounded by <see cref="PoolLimits"/>; when full the lowest fee goes first
/// (the oldest among equal fees), and a transfer that would itself be the one evicted is refused. Thread-safe.
/// </summary>
public sealed class TransferPool(PoolLimits limits)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (Transfer Transfer, long Arrival)> _byId = new(StringComparer.Ordinal);
    private long _arrivals;

    public int Count { get { lock (_gate) return _byId.Count; } }

    public long Bytes { get { lock (_gate) return (long)_byId.Count * Transfer.EncodedLength; } }

    public static string IdOf(Transfer transfer) => Convert.ToHexString(Hashing.Sha256(transfer.Encode()));

    /// <summary>Adds the transfer; false when it is already pooled or the pool is full of transfers paying more.</summary>
    public bool Add(Transfer transfer)
    {
        var id = IdOf(transfer);
        lock (_gate)
        {
            if (_byId.ContainsKey(id)) return false;
            _byId[id] = (transfer, _arrivals++);
            while (_byId.Count > limits.MaxCount || (long)_byId.Count * Transfer.EncodedLength > limits.MaxBytes)
            {
                var cheapest = _byId.MinBy(e => (e.Value.Transfer.Fee, -e.Value.Arrival)).Key;
                _byId.Remove(cheapest);
            }
            return _byId.ContainsKey(id);
        }
    }

    public bool Contains(Transfer transfer)
    {
        lock (_gate) return _byId.ContainsKey(IdOf(transfer));
    }

    /// <summary>Every pooled transfer in an order a block can apply them: each sender's by nonce, senders by their best fee.</summary>
    public IReadOnlyList<Transfer> Candidates()
    {
        lock (_gate)
        {
            return _byId.Values
                .GroupBy(e => Convert.ToHexString(e.Transfer.From))
                .OrderByDescending(g => g.Max(e => e.Transfer.Fee))
                .ThenBy(g => g.Min(e => e.Arrival))
                .SelectMany(g => g.OrderBy(e => e.Transfer.Nonce).ThenByDescending(e => e.Transfer.Fee).Select(e => e.Transfer))
                .ToList();
        }
    }

    /// <summary>Drops transfers whose nonce the sender's account has already used.</summary>
    public int Prune(Func<byte[], ulong> accountNonce)
    {
        lock (_gate)
        {
            var stale = _byId.Where(e => e.Value.Transfer.Nonce < accountNonce(e.Value.Transfer.From)).Select(e => e.Key).ToList();
            foreach (var id in stale) _byId.Remove(id);
            return stale.Count;
        }
    }

    /// <summary>Removes the transfers a block included.</summary>
    public void RemoveIncluded(Block block)
    {
        lock (_gate)
        {
            foreach (var transfer in block.Items.OfType<Transfer>()) _byId.Remove(IdOf(transfer));
        }
    }
}
