namespace P2P.Consensus.Simulation.Nodes;

/// <summary>What one simulated node did.</summary>
public sealed class NodeStatistics
{
    public long NoncesTried { get; internal set; }
    public int BlocksMined { get; internal set; }
    public int SharesMined { get; internal set; }
    public int JobsBuilt { get; internal set; }
    public int TransfersSent { get; internal set; }
    public int ReceiptsSigned { get; internal set; }
    public int VerdictsSigned { get; internal set; }
    public int BlocksAccepted { get; internal set; }
    public int BlocksRejected { get; internal set; }
    public int OrphansReceived { get; internal set; }
    public int ParentRequests { get; internal set; }
    public int Reorgs { get; internal set; }
    public int MaxReorgDepth { get; internal set; }
    public List<int> ReorgDepths { get; } = [];

    /// <summary>Wall-clock time spent in each part (not part of the deterministic outcome: for profiling the simulator).</summary>
    public TimeSpan MiningTime { get; internal set; }
    public TimeSpan TemplateTime { get; internal set; }
    public TimeSpan SubmitTime { get; internal set; }
    public TimeSpan ShareCheckTime { get; internal set; }
    public Dictionary<string, int> RejectReasons { get; } = new(StringComparer.Ordinal);
}
