namespace P2P.Consensus.Sync;

/// <summary>A <c>/p2pd/sync/1</c> response: <see cref="StatusResponse"/>, <see cref="HeadersResponse"/> or <see cref="BodiesResponse"/>.</summary>
public abstract record SyncResponse
{
    public abstract SyncMessageKind Kind { get; }
}
