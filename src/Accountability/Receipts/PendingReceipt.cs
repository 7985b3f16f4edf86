using P2P.Consensus.Blocks;

namespace P2P.Accountability.Receipts;

/// <summary>A receipt the <see cref="ReceiptRepublisher"/> keeps: the head height at which it is published next, and how often it was published again.</summary>
internal sealed class PendingReceipt(Receipt receipt, byte[] id, ulong dueHeight)
{
    public Receipt Receipt { get; } = receipt;
    public byte[] Id { get; } = id;
    public ulong DueHeight { get; set; } = dueHeight;
    public int Attempts { get; set; }
}
