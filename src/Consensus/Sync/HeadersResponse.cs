using P2P.Consensus.Blocks;

namespace P2P.Consensus.Sync;

/// <summary>Consecutive main-chain headers, lowest first.</summary>
public sealed record HeadersResponse(IReadOnlyList<BlockHeader> Headers) : SyncResponse
{
    public override SyncMessageKind Kind => SyncMessageKind.Headers;
}
