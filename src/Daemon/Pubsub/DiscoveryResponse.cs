namespace P2P.Daemon.Pubsub;

/// <summary>Discovery state in <c>GET /api/v1/pubsub</c>: whether the loop runs, its target, connected peers and the Kademlia routing table's size.</summary>
public sealed record DiscoveryResponse(bool Enabled, int TargetPeers, int ConnectedPeers, int RoutingTablePeers);
