namespace P2P.Daemon.Pubsub;

/// <summary>One gossipsub peer in <c>GET /api/v1/pubsub</c>: protocol, stream direction, topics and peer score.</summary>
public sealed record PubsubPeerResponse(
    string PeerId,
    string Protocol,
    string Direction,
    IReadOnlyList<string> Topics,
    double? Score);
