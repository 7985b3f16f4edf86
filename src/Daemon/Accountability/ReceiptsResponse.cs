namespace P2P.Daemon.Accountability;

/// <summary>
/// <c>GET /api/v1/receipts</c>: the newest receipts this gateway collected, this node's validator tally, the peers its
/// routing avoids, and what its republisher did (receipts waiting for a block, re-publishes, landed, given up).
/// </summary>
public sealed record ReceiptsResponse(IReadOnlyList<ReceiptSummaryResponse> Receipts, int RecordsKept, long RecordBytes, long VerdictsValid, long VerdictsInvalid,
    IReadOnlyList<string> ConvictedPeers, int AwaitingBlock = 0, long Republished = 0, long Landed = 0, long Expired = 0, long Evicted = 0);
