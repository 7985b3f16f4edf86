using P2P.Networking.Identity;

namespace P2P.Consensus.Sync;

/// <summary>A run of pending headers whose bodies are fetched in one request, and the peers that already failed it.</summary>
internal sealed record BodyBatch(int Start, int Count)
{
    public HashSet<PeerId> FailedPeers { get; init; } = [];
}
