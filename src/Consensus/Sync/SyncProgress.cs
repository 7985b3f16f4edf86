namespace P2P.Consensus.Sync;

/// <summary>A snapshot of sync progress for logs and <c>p2pd status</c>; <paramref name="PendingHeaders"/> are checked headers waiting for their bodies.</summary>
public sealed record SyncProgress(SyncState State, ulong CurrentHeight, ulong TargetHeight, int Peers, double BytesPerSecond, long BlocksApplied, int PendingHeaders)
{
    /// <summary>True while a peer is known to be ahead of us.</summary>
    public bool IsSyncing => State != SyncState.Idle && TargetHeight > CurrentHeight;

    /// <summary>0 … 1; 1 when caught up.</summary>
    public double Fraction => TargetHeight == 0 || CurrentHeight >= TargetHeight ? 1 : (double)CurrentHeight / TargetHeight;
}
