using P2P.Consensus.Blocks;
using P2P.Consensus.Rules;
using P2P.Work;

namespace P2P.Consensus.Mining;

/// <summary>The real work function applied to headers: hashing, classifying and a simple single-threaded search (tests, simulator).</summary>
public static class HeaderWork
{
    public static byte[] Hash(ChainMath math, BlockHeader header, ReadOnlySpan<byte> epochSeed) =>
        WorkFunction.Hash(math.Genesis.Profile, epochSeed, header.WorkChallenge(), header.Nonce);

    public static WorkClass Classify(ChainMath math, uint bits, ReadOnlySpan<byte> workHash)
    {
        if (WorkHash.MeetsTarget(workHash, ChainMath.TargetBytes(Difficulty.CompactTarget.Decode(bits)))) return WorkClass.Block;
        return WorkHash.MeetsTarget(workHash, ChainMath.TargetBytes(math.ShareTarget(bits))) ? WorkClass.Share : WorkClass.None;
    }

    public static WorkClass Classify(ChainMath math, BlockHeader header, ReadOnlySpan<byte> epochSeed) =>
        Classify(math, header.Bits, Hash(math, header, epochSeed));

    /// <summary>
    /// Tries nonces start, start+1, … (at most <paramref name="maxNonces"/>); returns the first header that is a block,
    /// and hands every share found on the way to <paramref name="onShare"/>. Null when none was found.
    /// </summary>
    public static BlockHeader? Mine(ChainMath math, BlockHeader header, ReadOnlySpan<byte> epochSeed, ulong start, ulong maxNonces, Action<BlockHeader>? onShare = null)
    {
        var challenge = header.WorkChallenge();
        var blockTarget = ChainMath.TargetBytes(Difficulty.CompactTarget.Decode(header.Bits));
        var shareTarget = ChainMath.TargetBytes(math.ShareTarget(header.Bits));
        for (ulong i = 0; i < maxNonces; i++)
        {
            ulong nonce = unchecked(start + i);
            var hash = WorkFunction.Hash(math.Genesis.Profile, epochSeed, challenge, nonce);
            if (WorkHash.MeetsTarget(hash, blockTarget)) return header with { Nonce = nonce };
            if (onShare is not null && WorkHash.MeetsTarget(hash, shareTarget)) onShare(header with { Nonce = nonce });
        }
        return null;
    }
}
