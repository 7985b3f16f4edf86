namespace P2P.Consensus.Gossip;

/// <summary>When (on this node's clock) a block was applied to its chain, and how it came.</summary>
public readonly record struct BlockArrival(DateTimeOffset AppliedAt, BlockSource Source);
