namespace P2P.Networking.Pubsub;

/// <summary>Introspection of one topic (plain values, ready for JSON): whether we subscribe, its peer count and our mesh and fanout peers.</summary>
public sealed record TopicView(string Topic, bool Subscribed, int Peers, IReadOnlyList<string> Mesh, IReadOnlyList<string> Fanout)
{
    public int MeshSize => Mesh.Count;
}
