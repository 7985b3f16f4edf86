using P2P.Networking.Identity;
using P2P.Networking.Multiformats;

namespace P2P.Networking.Core;

/// <summary>What the node knows about other peers: addresses (with expiry), protocols, keys, latency.</summary>
public interface IPeerStore
{
    /// <summary>Peers with at least one unexpired address or a known key.</summary>
    IReadOnlyCollection<PeerId> Peers { get; }

    /// <summary>Adds addresses (without the /p2p suffix) valid for <paramref name="ttl"/>; a longer ttl extends an existing one.</summary>
    void AddAddresses(PeerId peer, IEnumerable<Multiaddr> addresses, TimeSpan ttl);

    /// <summary>Unexpired addresses of the peer.</summary>
    IReadOnlyList<Multiaddr> GetAddresses(PeerId peer);

    void ClearAddresses(PeerId peer);

    void SetProtocols(PeerId peer, IEnumerable<string> protocols);

    IReadOnlyList<string> GetProtocols(PeerId peer);

    /// <summary>The protocols of <paramref name="candidates"/> the peer is known to support, in candidate order.</summary>
    IReadOnlyList<string> SupportsProtocols(PeerId peer, IEnumerable<string> candidates);

    void AddPublicKey(PeerId peer, PublicKey key);

    PublicKey? GetPublicKey(PeerId peer);

    /// <summary>Records a round-trip sample; the store keeps an exponentially weighted average.</summary>
    void RecordLatency(PeerId peer, TimeSpan rtt);

    TimeSpan? GetLatency(PeerId peer);

    void SetAgentVersion(PeerId peer, string agentVersion);

    string? GetAgentVersion(PeerId peer);

    /// <summary>Forgets everything about the peer.</summary>
    void RemovePeer(PeerId peer);
}
