namespace P2P.Networking.Pubsub;

/// <summary>Introspection of one topic: whether we subscribe, the peers in it and our mesh (or fanout) peers.</summary>
public sealed record TopicView(string Topic, bool Subscribed, int Peers, IReadOnlyList<string> Mesh, IReadOnlyList<string> Fanout);
