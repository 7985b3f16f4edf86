using P2P.Consensus.Blocks;

namespace P2P.Consensus.Simulation.Chain;

/// <summary>The outcome of one nonce: a block, a share, or neither.</summary>
public sealed record MiningResult(Block? Block, Share? Share)
{
    public static MiningResult Nothing { get; } = new(null, null);
}
