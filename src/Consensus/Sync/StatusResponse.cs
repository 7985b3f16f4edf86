namespace P2P.Consensus.Sync;

/// <summary>The server's status.</summary>
public sealed record StatusResponse(SyncStatus Status) : SyncResponse
{
    public override SyncMessageKind Kind => SyncMessageKind.Status;
}
