namespace P2P.Daemon.Network;

/// <summary>Body of <c>GET /api/v1/network</c>: our peer id and dialable listen addresses (with the /p2p suffix).</summary>
public sealed record NetworkResponse(string PeerId, IReadOnlyList<string> ListenAddresses, int ConnectedPeers);
