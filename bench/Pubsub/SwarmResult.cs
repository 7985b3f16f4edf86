namespace P2P.Bench.Pubsub;

/// <summary>What one swarm achieved: deliveries against the ideal, latency percentiles and duplicate receptions.</summary>
public sealed record SwarmResult(string Name, int Messages, long Deliveries, long Expected, double P50Ms, double P99Ms, long Duplicates)
{
    public double DeliveryRatio => (double)Deliveries / Expected;

    public double DuplicatesPerMessage => (double)Duplicates / Messages;

    public override string ToString() =>
        $"{Name,-4} delivery {DeliveryRatio:P2} ({Deliveries}/{Expected})  p50 {P50Ms,7:F2} ms  p99 {P99Ms,8:F2} ms  duplicates/message {DuplicatesPerMessage,6:F2}";
}
