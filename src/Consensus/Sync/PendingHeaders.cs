using P2P.Consensus.Blocks;
using P2P.Consensus.Reasons;
using P2P.Consensus.Rules;
using P2P.Consensus.State;

namespace P2P.Consensus.Sync;

/// <summary>
/// Headers downloaded ahead of their bodies: a chain that starts at a fork point on our main chain, each header
/// checked against its parent (linkage, height, epoch, time, nBits and the real work function) before it is added.
/// Bounded by its capacity, so an endless header chain cannot grow it.
/// </summary>
internal sealed class PendingHeaders(ChainState chain, BlockHeader fork, byte[] forkHash, int capacity)
{
    private readonly List<(byte[] Hash, BlockHeader Header)> _headers = [];

    public BlockHeader Fork => fork;
    public byte[] ForkHash => forkHash;
    public int Count => _headers.Count;
    public bool IsFull => _headers.Count >= capacity;
    public byte[] TipHash => _headers.Count == 0 ? forkHash : _headers[^1].Hash;
    public ulong TipHeight => _headers.Count == 0 ? fork.Height : _headers[^1].Header.Height;

    public (byte[] Hash, BlockHeader Header) this[int index] => _headers[index];

    /// <summary>Checks <paramref name="header"/> as the child of the current tip and adds it; the reason when it is refused.</summary>
    public RejectReason TryAdd(BlockHeader header, long now)
    {
        if (IsFull) throw new InvalidOperationException("pending headers are full");
        if (!header.ParentHash.AsSpan().SequenceEqual(TipHash)) return RejectReason.ParentUnknown;
        if (!header.ChainId.AsSpan().SequenceEqual(chain.ChainId)) return RejectReason.WrongChainId;
        if (header.Version != BlockHeader.CurrentVersion) return RejectReason.UnsupportedVersion;
        var hash = header.Hash();
        if (chain.InvalidReason(hash) is { } known) return known;
        var parent = _headers.Count == 0 ? fork : _headers[^1].Header;
        var seed = AncestorHash(chain.Math.SeedHeight(chain.Math.EpochOf(header.Height)));
        if (seed is null) return RejectReason.ParentUnknown;
        var reason = HeaderRules.Check(chain.Math, header, parent, RecentTimestamps(parent.Height), now, seed);
        if (reason != RejectReason.None) return reason;
        _headers.Add((hash, header));
        return RejectReason.None;
    }

    /// <summary>Drops the headers from <paramref name="index"/> on (their chain turned out invalid or unavailable).</summary>
    public void TruncateFrom(int index) => _headers.RemoveRange(index, _headers.Count - index);

    private byte[]? AncestorHash(ulong height) =>
        height > fork.Height ? _headers[(int)(height - fork.Height - 1)].Hash : chain.MainChainHash(height);

    private BlockHeader? HeaderAt(ulong height) =>
        height > fork.Height ? _headers[(int)(height - fork.Height - 1)].Header
        : chain.MainChainHash(height) is { } hash ? chain.GetHeader(hash) : null;

    private List<long> RecentTimestamps(ulong parentHeight)
    {
        var timestamps = new List<long>(HeaderRules.MedianTimeSpan);
        for (ulong h = parentHeight; timestamps.Count < HeaderRules.MedianTimeSpan; h--)
        {
            if (HeaderAt(h) is { } header) timestamps.Add(header.Timestamp);
            if (h == 0) break;
        }
        timestamps.Reverse();
        return timestamps;
    }
}
