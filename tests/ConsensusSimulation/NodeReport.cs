namespace P2P.Consensus.Simulation;

/// <summary>One node's line in a <see cref="SimulationReport"/>.</summary>
public sealed record NodeReport(
    int Index, string Miner, double NonceRate, double HashRateShare, ulong HeadHeight, string HeadHash, string Digest,
    ulong Balance, double RewardShare, int BlocksMined, int SharesMined, int CreditedShares, int Reorgs, int MaxReorgDepth, long NoncesTried, int TransfersSent);
