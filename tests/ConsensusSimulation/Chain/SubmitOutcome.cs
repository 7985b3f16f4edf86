namespace P2P.Consensus.Simulation.Chain;

/// <summary>The chain's answer to a block: its status, the reject reason when invalid, and any head change with its reorg depth.</summary>
public sealed record SubmitOutcome(SubmitStatus Status, string? Reason = null, bool HeadChanged = false, int ReorgDepth = 0);
