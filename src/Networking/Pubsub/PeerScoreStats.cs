namespace P2P.Networking.Pubsub;

/// <summary>Per-peer counters behind the score: per-topic P1–P4 state, IP and behaviour penalty.</summary>
internal sealed class PeerScoreStats
{
    public bool Connected { get; set; }
    public DateTimeOffset ExpireAt { get; set; }
    public string? Ip { get; set; }
    public double BehaviourPenalty { get; set; }
    public Dictionary<string, TopicStats> Topics { get; } = new(StringComparer.Ordinal);

    /// <summary>Per-topic counters of one peer.</summary>
    internal sealed class TopicStats
    {
        public bool InMesh { get; set; }
        public DateTimeOffset GraftTime { get; set; }
        public bool MeshDeliveriesActive { get; set; }
        public double FirstMessageDeliveries { get; set; }
        public double MeshMessageDeliveries { get; set; }
        public double MeshFailurePenalty { get; set; }
        public double InvalidMessageDeliveries { get; set; }
    }
}
