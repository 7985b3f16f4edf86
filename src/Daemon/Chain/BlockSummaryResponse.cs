namespace P2P.Daemon.Chain;

/// <summary>One main-chain block in <c>GET /api/v1/blocks</c>: the header's essentials and the shares it credits, per miner.</summary>
public sealed record BlockSummaryResponse(
    string Hash, ulong Height, long Timestamp, ulong Epoch, string Miner, int Shares, IReadOnlyDictionary<string, int> SharesByMiner,
    int Transfers, int Receipts, int Verdicts, int Bytes);
