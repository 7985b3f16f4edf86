namespace P2P.Daemon.Network;

/// <summary>Body of <c>GET /api/v1/peers</c>.</summary>
public sealed record PeersResponse(IReadOnlyList<PeerConnectionResponse> Peers);
