namespace P2P.Accountability.Receipts;

/// <summary>A receipt a gateway collected: the id (hex), its task, the executor's peer id, the span and when.</summary>
public sealed record CollectedReceipt(string ReceiptId, string TaskId, string Executor, int Start, int End, bool Deterministic, DateTimeOffset Collected);
