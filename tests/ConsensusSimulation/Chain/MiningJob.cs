using System.Numerics;
using P2P.Consensus.Blocks;
using P2P.Work;

namespace P2P.Consensus.Simulation.Chain;

/// <summary>A block template without its nonce, with what is needed to try nonces on it with the real work function.</summary>
/// <param name="Template">The header with nonce 0.</param>
/// <param name="Items">The body the header's body root commits to.</param>
/// <param name="Profile">The work profile of the chain.</param>
/// <param name="Seed">The epoch's work seed.</param>
/// <param name="BlockTarget">The block target (from the header's nBits).</param>
/// <param name="ShareTarget">The share target (block target × 2^k, capped at the limit).</param>
public sealed class MiningJob(BlockHeader template, IReadOnlyList<BodyItem> items, WorkProfile profile, byte[] seed, BigInteger blockTarget, BigInteger shareTarget)
{
    private readonly byte[] _challenge = template.WorkChallenge();
    private readonly byte[] _blockTarget = ToBigEndian32(blockTarget);
    private readonly byte[] _shareTarget = ToBigEndian32(shareTarget);

    public BlockHeader Template { get; } = template;
    public IReadOnlyList<BodyItem> Items { get; } = items;

    /// <summary>Evaluates one nonce: a block when its work hash meets the block target, a share when only the share target.</summary>
    public MiningResult Try(ulong nonce)
    {
        byte[] hash = WorkFunction.Hash(profile, seed, _challenge, nonce);
        if (WorkHash.MeetsTarget(hash, _blockTarget))
            return new MiningResult(new Block(Template with { Nonce = nonce }, Items), null);
        if (WorkHash.MeetsTarget(hash, _shareTarget))
            return new MiningResult(null, new Share(Template with { Nonce = nonce }));
        return MiningResult.Nothing;
    }

    /// <summary>A 256-bit target as the 32 big-endian bytes <see cref="WorkHash.MeetsTarget"/> compares with.</summary>
    public static byte[] ToBigEndian32(BigInteger value)
    {
        if (value.Sign < 0 || value.GetBitLength() > 256) throw new ArgumentOutOfRangeException(nameof(value));
        var bytes = new byte[32];
        value.TryWriteBytes(bytes.AsSpan(32 - value.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return bytes;
    }
}
