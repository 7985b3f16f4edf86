namespace P2P.Daemon.Chain;

/// <summary><c>GET /api/v1/blocks?limit=n</c>: the newest main-chain blocks, head first.</summary>
public sealed record RecentBlocksResponse(ulong Height, IReadOnlyList<BlockSummaryResponse> Blocks);
