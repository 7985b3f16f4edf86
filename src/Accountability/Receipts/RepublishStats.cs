namespace P2P.Accountability.Receipts;

/// <summary>
/// What the <see cref="ReceiptRepublisher"/> did: receipts kept now, re-publishes, receipts seen in a block, and receipts
/// dropped without one — expired (no block may include them any more) or evicted (the store was full).
/// </summary>
public sealed record RepublishStats(int Pending, long Republished, long Landed, long Expired, long Evicted);
