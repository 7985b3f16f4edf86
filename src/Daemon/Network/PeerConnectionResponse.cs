namespace P2P.Daemon.Network;

/// <summary>One open libp2p connection in <c>GET /api/v1/peers</c>.</summary>
public sealed record PeerConnectionResponse(
    string PeerId,
    string Address,
    string Direction,
    double? LatencyMs,
    IReadOnlyList<string> Protocols,
    string? AgentVersion,
    DateTimeOffset OpenedAt);
