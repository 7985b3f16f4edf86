namespace P2P.Accountability.Receipts;

/// <summary>
/// When a gateway publishes a receipt again that no block has included yet: <see cref="FirstRetryBlocks"/> blocks after
/// the publish, then after twice the previous wait, at most <see cref="MaxRetryBlocks"/>; at most <see cref="Capacity"/>
/// receipts are kept (the oldest goes first).
/// </summary>
public sealed record RepublishPolicy(int Capacity = 4096, int FirstRetryBlocks = 2, int MaxRetryBlocks = 16)
{
    /// <summary>The blocks to wait after the <paramref name="attempt"/>-th publish (0 = the first one) before the next.</summary>
    public ulong WaitAfter(int attempt) => (ulong)Math.Min((long)FirstRetryBlocks << Math.Min(attempt, 30), MaxRetryBlocks);
}
