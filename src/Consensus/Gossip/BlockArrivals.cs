namespace P2P.Consensus.Gossip;

/// <summary>
/// The apply time of the most recent blocks (bounded, oldest forgotten first), kept so that propagation can be
/// measured from the nodes' own clocks (the chain API's block answer, <c>bench/Consensus</c>). Memory only: a restart
/// forgets it. The first record of a block wins, so a block seen again later keeps its first apply time.
/// </summary>
public sealed class BlockArrivals(int capacity = BlockArrivals.DefaultCapacity)
{
    /// <summary>About a day of blocks at the devnet's block time; a few hundred kilobytes.</summary>
    public const int DefaultCapacity = 8192;

    private readonly object _gate = new();
    private readonly Dictionary<string, BlockArrival> _byHash = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public int Count
    {
        get { lock (_gate) return _byHash.Count; }
    }

    /// <summary>Records the block's first apply; false when it was recorded already.</summary>
    public bool Record(ReadOnlySpan<byte> hash, DateTimeOffset appliedAt, BlockSource source)
    {
        string key = Convert.ToHexStringLower(hash);
        lock (_gate)
        {
            if (!_byHash.TryAdd(key, new BlockArrival(appliedAt, source))) return false;
            _order.Enqueue(key);
            while (_order.Count > capacity) _byHash.Remove(_order.Dequeue());
            return true;
        }
    }

    public BlockArrival? Find(ReadOnlySpan<byte> hash)
    {
        string key = Convert.ToHexStringLower(hash);
        lock (_gate) return _byHash.TryGetValue(key, out var arrival) ? arrival : null;
    }
}
