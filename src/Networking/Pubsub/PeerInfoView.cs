using P2P.Networking.Identity;

namespace P2P.Networking.Pubsub;

/// <summary>Introspection of one pubsub peer: protocol, direction, subscribed topics and current score.</summary>
public sealed record PeerInfoView(PeerId Peer, GossipProtocol Protocol, bool Outbound, IReadOnlyList<string> Topics, double Score);
