using P2P.Networking.Core;
using P2P.Networking.Identity;
using P2P.Networking.Multiformats;

namespace P2P.Networking.Host;

/// <summary>In-memory <see cref="IPeerStore"/>; address expiry follows the injected clock.</summary>
public sealed class PeerStore(TimeProvider time) : IPeerStore
{
    /// <summary>Addresses kept per peer; the ones expiring soonest are dropped beyond this.</summary>
    public const int MaxAddressesPerPeer = 64;
    public const int MaxProtocolsPerPeer = 256;
    private const double LatencyWeight = 0.1;

    private readonly object _gate = new();
    private readonly Dictionary<PeerId, PeerRecord> _records = [];

    public IReadOnlyCollection<PeerId> Peers
    {
        get
        {
            var now = time.GetUtcNow();
            lock (_gate)
            {
                return _records.Where(r => r.Value.Key is not null || r.Value.Addresses.Values.Any(e => e > now)).Select(r => r.Key).ToArray();
            }
        }
    }

    public void AddAddresses(PeerId peer, IEnumerable<Multiaddr> addresses, TimeSpan ttl)
    {
        var now = time.GetUtcNow();
        var expiry = ttl == TimeSpan.MaxValue ? DateTimeOffset.MaxValue : now + ttl;
        lock (_gate)
        {
            var record = Get(peer);
            foreach (var address in addresses)
            {
                var bare = address.WithoutPeerId();
                if (!record.Addresses.TryGetValue(bare, out var existing) || existing < expiry)
                {
                    record.Addresses[bare] = expiry;
                }
            }
            Prune(record, now);
            while (record.Addresses.Count > MaxAddressesPerPeer)
            {
                record.Addresses.Remove(record.Addresses.MinBy(a => a.Value).Key);
            }
        }
    }

    public IReadOnlyList<Multiaddr> GetAddresses(PeerId peer)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_records.TryGetValue(peer, out var record))
            {
                return [];
            }
            Prune(record, now);
            return record.Addresses.Keys.ToArray();
        }
    }

    public void ClearAddresses(PeerId peer)
    {
        lock (_gate)
        {
            if (_records.TryGetValue(peer, out var record))
            {
                record.Addresses.Clear();
            }
        }
    }

    public void SetProtocols(PeerId peer, IEnumerable<string> protocols)
    {
        lock (_gate)
        {
            Get(peer).Protocols = protocols.Distinct().Take(MaxProtocolsPerPeer).ToArray();
        }
    }

    public IReadOnlyList<string> GetProtocols(PeerId peer)
    {
        lock (_gate)
        {
            return _records.TryGetValue(peer, out var record) ? record.Protocols : [];
        }
    }

    public IReadOnlyList<string> SupportsProtocols(PeerId peer, IEnumerable<string> candidates)
    {
        var known = GetProtocols(peer);
        return candidates.Where(known.Contains).ToArray();
    }

    public void AddPublicKey(PeerId peer, PublicKey key)
    {
        if (key.ToPeerId() != peer)
        {
            throw new ArgumentException($"key does not belong to {peer}");
        }
        lock (_gate)
        {
            Get(peer).Key = key;
        }
    }

    public PublicKey? GetPublicKey(PeerId peer)
    {
        lock (_gate)
        {
            if (_records.TryGetValue(peer, out var record) && record.Key is not null)
            {
                return record.Key;
            }
        }
        return peer.TryGetInlinePublicKey() is { } inline ? PublicKey.Unmarshal(inline) : null;
    }

    public void RecordLatency(PeerId peer, TimeSpan rtt)
    {
        lock (_gate)
        {
            var record = Get(peer);
            record.Latency = record.Latency is { } previous
                ? TimeSpan.FromTicks((long)(previous.Ticks * (1 - LatencyWeight) + rtt.Ticks * LatencyWeight))
                : rtt;
        }
    }

    public TimeSpan? GetLatency(PeerId peer)
    {
        lock (_gate)
        {
            return _records.TryGetValue(peer, out var record) ? record.Latency : null;
        }
    }

    public void SetAgentVersion(PeerId peer, string agentVersion)
    {
        lock (_gate)
        {
            Get(peer).AgentVersion = agentVersion.Length > 256 ? agentVersion[..256] : agentVersion;
        }
    }

    public string? GetAgentVersion(PeerId peer)
    {
        lock (_gate)
        {
            return _records.TryGetValue(peer, out var record) ? record.AgentVersion : null;
        }
    }

    public void RemovePeer(PeerId peer)
    {
        lock (_gate)
        {
            _records.Remove(peer);
        }
    }

    private PeerRecord Get(PeerId peer)
    {
        if (!_records.TryGetValue(peer, out var record))
        {
            record = new PeerRecord();
            _records[peer] = record;
        }
        return record;
    }

    private static void Prune(PeerRecord record, DateTimeOffset now)
    {
        foreach (var expired in record.Addresses.Where(a => a.Value <= now).Select(a => a.Key).ToArray())
        {
            record.Addresses.Remove(expired);
        }
    }
}
