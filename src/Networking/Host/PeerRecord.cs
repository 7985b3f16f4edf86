using P2P.Networking.Identity;
using P2P.Networking.Multiformats;

namespace P2P.Networking.Host;

/// <summary>What the peer store holds about one peer.</summary>
internal sealed class PeerRecord
{
    public Dictionary<Multiaddr, DateTimeOffset> Addresses { get; } = [];
    public IReadOnlyList<string> Protocols { get; set; } = [];
    public PublicKey? Key { get; set; }
    public TimeSpan? Latency { get; set; }
    public string? AgentVersion { get; set; }
}
