namespace P2P.Consensus.Sync;

/// <summary>Headers after the first hash of <paramref name="Locator"/> on the server's main chain (genesis when none is), at most <paramref name="MaxCount"/>.</summary>
public sealed record HeadersRequest(IReadOnlyList<byte[]> Locator, uint MaxCount) : SyncRequest
{
    public override SyncMessageKind Kind => SyncMessageKind.Headers;
}
