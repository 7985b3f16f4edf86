namespace P2P.Consensus.Simulation.Network;

/// <summary>Counters of a simulated network.</summary>
public sealed class NetworkStatistics
{
    public long Sent { get; internal set; }
    public long Delivered { get; internal set; }
    public long Bytes { get; internal set; }
    public long DroppedByLoss { get; internal set; }
    public long DroppedByPartition { get; internal set; }

    public override string ToString() =>
        $"sent {Sent}, delivered {Delivered}, {Bytes / 1024} KiB, lost {DroppedByLoss}, cut by partitions {DroppedByPartition}";
}
