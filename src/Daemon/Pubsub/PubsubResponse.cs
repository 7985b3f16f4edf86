namespace P2P.Daemon.Pubsub;

/// <summary>Body of <c>GET /api/v1/pubsub</c>.</summary>
public sealed record PubsubResponse(
    string PeerId,
    IReadOnlyList<PubsubTopicResponse> Topics,
    IReadOnlyList<PubsubPeerResponse> Peers,
    DiscoveryResponse Discovery);
