namespace P2P.Consensus.Pools;

/// <summary>How much a pool holds at most: a count and a byte total, whichever is reached first.</summary>
public sealed record PoolLimits(int MaxCount, long MaxBytes)
{
    public static PoolLimits Shares { get; } = new(4096, 4096L * Blocks.Share.EncodedLength);
    public static PoolLimits Transfers { get; } = new(8192, 8192L * Blocks.Transfer.EncodedLength);
    /// <summary>Receipts, verdicts and declarations: a few blocks' worth (a block holds at most 8192 items).</summary>
    public static PoolLimits Accountability { get; } = new(16384, 16384L * Blocks.Receipt.EncodedLength);
}
