namespace P2P.Daemon.Accountability;

/// <summary><c>GET /api/v1/receipts</c>: the newest receipts this gateway collected, this node's validator tally and the peers its routing avoids.</summary>
public sealed record ReceiptsResponse(IReadOnlyList<ReceiptSummaryResponse> Receipts, int RecordsKept, long RecordBytes, long VerdictsValid, long VerdictsInvalid,
    IReadOnlyList<string> ConvictedPeers);
