using P2P.Consensus.Blocks;

namespace P2P.Consensus.Rules;

/// <summary>What item rules need to know about the chain a block extends: its ancestors by height and the epoch seed.</summary>
/// <param name="Ancestor">The (hash, header) of the including chain's block at a height below the block's own.</param>
public sealed record BlockContext(ChainMath Math, BlockHeader Header, Func<ulong, (byte[] Hash, BlockHeader Header)> Ancestor, byte[] EpochSeed)
{
    public byte[] ChainId => Header.ChainId;
    public ulong Epoch => Header.Epoch;

    /// <summary>Shares already verified, so their work is not recomputed; null verifies every share.</summary>
    public VerifiedShareCache? VerifiedShares { get; init; }
}
