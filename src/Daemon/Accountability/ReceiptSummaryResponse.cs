namespace P2P.Daemon.Accountability;

/// <summary>One row of <c>GET /api/v1/receipts</c>: a receipt this gateway collected and where it stands.</summary>
public sealed record ReceiptSummaryResponse(string ReceiptId, string TaskId, string ExecutorPeer, int Start, int End, bool Deterministic, DateTimeOffset Collected,
    string State, int Verdicts);
