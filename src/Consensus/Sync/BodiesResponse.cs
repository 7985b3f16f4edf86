namespace P2P.Consensus.Sync;

/// <summary>Encoded blocks, in the order requested (a prefix of the request); the client decodes and checks each against its header.</summary>
public sealed record BodiesResponse(IReadOnlyList<byte[]> Blocks) : SyncResponse
{
    public override SyncMessageKind Kind => SyncMessageKind.Bodies;
}
