namespace P2P.Consensus.Sync;

/// <summary>A <c>/p2pd/sync/1</c> request: <see cref="StatusRequest"/>, <see cref="HeadersRequest"/> or <see cref="BodiesRequest"/>.</summary>
public abstract record SyncRequest
{
    public abstract SyncMessageKind Kind { get; }
}
