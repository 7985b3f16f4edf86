using P2P.Consensus.Blocks;
using P2P.Consensus.Reasons;
using P2P.Work;

namespace P2P.Consensus.Rules;

/// <summary>Header validity against its parent (docs/consensus.md §4.2): pure functions of the header, the parent's chain and the local time.</summary>
public static class HeaderRules
{
    /// <summary>How many ancestor timestamps the median-time-past rule looks at.</summary>
    public const int MedianTimeSpan = 11;

    /// <summary>The median of the last (up to) 11 timestamps ending at the parent.</summary>
    public static long MedianTimePast(IReadOnlyList<long> recentTimestamps)
    {
        if (recentTimestamps.Count == 0) throw new ArgumentException("no timestamps");
        var sorted = recentTimestamps.TakeLast(MedianTimeSpan).Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>Everything about a header except its body: height, epoch, time, nBits and its work.</summary>
    public static RejectReason Check(ChainMath math, BlockHeader header, BlockHeader parent, IReadOnlyList<long> recentTimestamps, long now, ReadOnlySpan<byte> epochSeed)
    {
        if (header.Height != parent.Height + 1) return RejectReason.HeightMismatch;
        if (header.Epoch != math.EpochOf(header.Height)) return RejectReason.EpochMismatch;
        if (header.Timestamp <= MedianTimePast(recentTimestamps)) return RejectReason.TimestampTooEarly;
        if (header.Timestamp > now + math.Genesis.MaxFutureDriftSeconds) return RejectReason.TimestampTooFarAhead;
        if (header.Bits != math.NextBits(header.Height, parent.Timestamp)) return RejectReason.WrongBits;
        return CheckWork(math, header, epochSeed);
    }

    /// <summary>The recomputed work hash of the header (the real work function) is at most its block target.</summary>
    public static RejectReason CheckWork(ChainMath math, BlockHeader header, ReadOnlySpan<byte> epochSeed)
    {
        var target = ChainMath.TargetBytes(Difficulty.CompactTarget.Decode(header.Bits));
        var hash = WorkFunction.Hash(math.Genesis.Profile, epochSeed, header.WorkChallenge(), header.Nonce);
        return WorkHash.MeetsTarget(hash, target) ? RejectReason.None : RejectReason.InsufficientWork;
    }
}
