using P2P.Networking.Identity;

namespace P2P.Networking.Discovery;

/// <summary>
/// Kademlia routing table: one bucket of at most k peers per common-prefix length with the local key.
/// A full bucket keeps its long-lived peers (they are the likeliest to stay) unless one was marked dead.
/// </summary>
public sealed class RoutingTable
{
    private readonly object _gate = new();
    private readonly KadKey _local;
    private readonly int _bucketSize;
    private readonly List<PeerId>[] _buckets;

    public RoutingTable(PeerId local, int bucketSize = 20)
    {
        _local = KadKey.FromPeer(local);
        _bucketSize = bucketSize;
        _buckets = Enumerable.Range(0, KadKey.Bits).Select(_ => new List<PeerId>()).ToArray();
        LocalPeer = local;
    }

    public PeerId LocalPeer { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _buckets.Sum(b => b.Count);
            }
        }
    }

    /// <summary>Adds or refreshes the peer; false when its bucket is full.</summary>
    public bool TryAdd(PeerId peer)
    {
        if (peer == LocalPeer)
        {
            return false;
        }
        var bucket = BucketOf(peer);
        lock (_gate)
        {
            if (bucket.Contains(peer))
            {
                return true;
            }
            if (bucket.Count >= _bucketSize)
            {
                return false;
            }
            bucket.Add(peer);
            return true;
        }
    }

    public bool Remove(PeerId peer)
    {
        var bucket = BucketOf(peer);
        lock (_gate)
        {
            return bucket.Remove(peer);
        }
    }

    public bool Contains(PeerId peer)
    {
        var bucket = BucketOf(peer);
        lock (_gate)
        {
            return bucket.Contains(peer);
        }
    }

    public IReadOnlyList<PeerId> All()
    {
        lock (_gate)
        {
            return _buckets.SelectMany(b => b).ToList();
        }
    }

    /// <summary>The <paramref name="count"/> known peers closest to <paramref name="target"/> by XOR distance.</summary>
    public IReadOnlyList<PeerId> Nearest(KadKey target, int count)
    {
        List<PeerId> all;
        lock (_gate)
        {
            all = _buckets.SelectMany(b => b).ToList();
        }
        return all.Select(p => (Peer: p, Key: KadKey.FromPeer(p)))
            .OrderBy(p => p.Key, Comparer<KadKey>.Create(target.CompareDistance))
            .Take(count)
            .Select(p => p.Peer)
            .ToList();
    }

    private List<PeerId> BucketOf(PeerId peer)
    {
        var cpl = _local.CommonPrefixLength(KadKey.FromPeer(peer));
        return _buckets[Math.Min(cpl, KadKey.Bits - 1)];
    }
}
