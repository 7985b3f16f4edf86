namespace P2P.Daemon.Pubsub;

/// <summary>One gossipsub topic in <c>GET /api/v1/pubsub</c>: whether we joined it, how many peers are on it, our mesh and fanout.</summary>
public sealed record PubsubTopicResponse(
    string Topic,
    bool Subscribed,
    int Peers,
    int MeshSize,
    IReadOnlyList<string> Mesh,
    IReadOnlyList<string> Fanout);
