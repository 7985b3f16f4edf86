namespace P2P.Consensus.Sync;

/// <summary>Whole blocks by header hash; the answer is the longest prefix of them the server holds that fits its byte budget.</summary>
public sealed record BodiesRequest(IReadOnlyList<byte[]> Hashes) : SyncRequest
{
    public override SyncMessageKind Kind => SyncMessageKind.Bodies;
}
