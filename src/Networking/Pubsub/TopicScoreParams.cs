namespace P2P.Networking.Pubsub;

/// <summary>Per-topic score parameters P1–P4 (gossipsub v1.1); defaults are js-libp2p's.</summary>
public sealed class TopicScoreParams
{
    public double TopicWeight { get; set; } = 0.5;

    public double TimeInMeshWeight { get; set; } = 1;
    public TimeSpan TimeInMeshQuantum { get; set; } = TimeSpan.FromSeconds(1);
    public double TimeInMeshCap { get; set; } = 3600;

    public double FirstMessageDeliveriesWeight { get; set; } = 1;
    public double FirstMessageDeliveriesDecay { get; set; } = 0.5;
    public double FirstMessageDeliveriesCap { get; set; } = 2000;

    public double MeshMessageDeliveriesWeight { get; set; } = -1;
    public double MeshMessageDeliveriesDecay { get; set; } = 0.5;
    public double MeshMessageDeliveriesCap { get; set; } = 100;
    public double MeshMessageDeliveriesThreshold { get; set; } = 20;
    public TimeSpan MeshMessageDeliveriesWindow { get; set; } = TimeSpan.FromMilliseconds(10);
    public TimeSpan MeshMessageDeliveriesActivation { get; set; } = TimeSpan.FromSeconds(5);

    public double MeshFailurePenaltyWeight { get; set; } = -1;
    public double MeshFailurePenaltyDecay { get; set; } = 0.5;

    public double InvalidMessageDeliveriesWeight { get; set; } = -1;
    public double InvalidMessageDeliveriesDecay { get; set; } = 0.3;
}
