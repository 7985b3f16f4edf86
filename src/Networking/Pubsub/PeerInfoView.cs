namespace P2P.Networking.Pubsub;

/// <summary>Introspection of one pubsub peer (plain values, ready for JSON): peer id, protocol id, direction, topics, score.</summary>
public sealed record PeerInfoView(string Peer, string Protocol, bool Outbound, IReadOnlyList<string> Topics, double Score);
