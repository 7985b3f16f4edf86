namespace P2P.Daemon.Chain;

/// <summary><c>GET /api/v1/chain</c>.</summary>
public sealed record ChainResponse(
    string ChainId, string ChainName, string GenesisHash, ulong Height, string HeadHash, string CumulativeWork, long HeadTimestamp,
    ulong Epoch, string Bits, string StateDigest, string SyncState, ulong SyncTargetHeight, int SyncPeers, double SyncBytesPerSecond, int Orphans, int PooledShares, int PooledTransfers, long TargetBlockSeconds, int EpochLength);
