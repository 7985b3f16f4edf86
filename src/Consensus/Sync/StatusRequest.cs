namespace P2P.Consensus.Sync;

/// <summary>Our status; the answer is the peer's (a peer of another chain is refused by both sides).</summary>
public sealed record StatusRequest(SyncStatus Status) : SyncRequest
{
    public override SyncMessageKind Kind => SyncMessageKind.Status;
}
