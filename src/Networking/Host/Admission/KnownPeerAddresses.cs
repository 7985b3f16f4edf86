using System.Net;
using P2P.Networking.Core;

namespace P2P.Networking.Host.Admission;

/// <summary>
/// Whether an IP address is one of the addresses the peer store holds for some peer. Asked on the accept path
/// during a flood, so the set is rebuilt at most once per <c>refresh</c> rather than scanned per connection.
/// </summary>
public sealed class KnownPeerAddresses(IPeerStore peers, TimeProvider time, TimeSpan refresh)
{
    private readonly Lock _gate = new();
    private HashSet<IPAddress> _addresses = [];
    private DateTimeOffset _builtAt = DateTimeOffset.MinValue;

    public static readonly TimeSpan DefaultRefresh = TimeSpan.FromSeconds(1);

    public bool Contains(IPAddress address)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (now - _builtAt >= refresh || now < _builtAt)
            {
                _addresses = Collect();
                _builtAt = now;
            }
            return _addresses.Contains(SubnetKey.Normalize(address));
        }
    }

    private HashSet<IPAddress> Collect()
    {
        var set = new HashSet<IPAddress>();
        foreach (var peer in peers.Peers)
        {
            foreach (var known in peers.GetAddresses(peer))
            {
                if (known.ToIPEndPoint() is { } endPoint) set.Add(SubnetKey.Normalize(endPoint.Address));
            }
        }
        return set;
    }
}
