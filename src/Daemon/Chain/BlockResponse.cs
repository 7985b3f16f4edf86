namespace P2P.Daemon.Chain;

/// <summary>
/// <c>GET /api/v1/blocks/{hash|height}</c>: the header, the body's items (receipts by id, §2.5), the encoded block, and when and how this node
/// applied it (null for blocks applied before the last start or beyond the node's recent-arrivals bound).
/// </summary>
public sealed record BlockResponse(
    string Hash, ulong Height, string ParentHash, long Timestamp, string Bits, ulong Epoch, string Miner, ulong Nonce, bool MainChain,
    int Shares, IReadOnlyList<TransferResponse> Transfers, int Receipts, IReadOnlyList<string> ReceiptIds, int Verdicts, int Bytes, string Encoded,
    DateTimeOffset? AppliedAt, string? AppliedFrom);
