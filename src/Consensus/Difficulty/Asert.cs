using System.Numerics;

namespace P2P.Consensus.Difficulty;

/// <summary>aserti3-2d (Bitcoin Cash): the nBits of a block from its anchor and its parent.</summary>
/// <remarks>
/// target = anchorTarget · 2^((parentTime − anchorParentTime − ideal · (height − anchorHeight)) / halfLife),
/// with 2^x approximated in 16.16 fixed point by Bitcoin Cash's cubic polynomial and the result clamped to [1, powLimit].
/// <para>
/// Height meaning: <c>height</c> is the height of the block being mined, so its parent is at <c>height − 1</c>.
/// Bitcoin Cash Node (and the published vectors) count from the parent instead:
/// <c>nHeightDiff = parentHeight − anchorHeight</c>, and the exponent uses <c>nHeightDiff + 1</c>.
/// A vector line <c>(h, t, bits)</c> is therefore <c>NextBits(…, height: h + 1, parentTime: t) == bits</c>.
/// With the genesis block as anchor (height 0, parent time = genesis time − ideal), block 1 gets the genesis nBits.
/// </para>
/// <para>
/// Bitcoin Cash asserts powLimit &lt; 2^224 and |time offset| &lt; 2^47 so that its fixed-width arithmetic cannot
/// overflow. Here the arithmetic is exact (BigInteger, Int128), which gives the same result wherever those
/// assertions hold, and extends it without overflow elsewhere: any pow limit below 2^256 is accepted (a devnet
/// wants an easy one) and an out-of-range exponent saturates at the clamp.
/// </para>
/// </remarks>
public static class Asert
{
    /// <summary>2^x for x in [0, 1) in 16.16 fixed point, within 0.013 %: 1 + 0.695502049x + 0.2262698x² + 0.0782318x³.</summary>
    private const ulong LinearCoefficient = 195_766_423_245_049UL;
    private const ulong QuadraticCoefficient = 971_821_376UL;
    private const ulong CubicCoefficient = 5_127UL;

    /// <summary>Past this many doublings (either way) every target saturates at the clamp, whatever the anchor.</summary>
    private const long SaturatingShift = 300;

    /// <summary>The nBits required of the block at <paramref name="height"/> (&gt; anchorHeight) whose parent has timestamp <paramref name="parentTime"/>.</summary>
    public static uint NextBits(AsertParameters parameters, long anchorHeight, long anchorParentTime, uint anchorBits,
                                long height, long parentTime)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.IdealBlockSeconds <= 0)
            throw new ArgumentOutOfRangeException(nameof(parameters), "the ideal block time must be positive");
        if (parameters.HalfLifeSeconds <= 0)
            throw new ArgumentOutOfRangeException(nameof(parameters), "the half-life must be positive");
        if (height <= anchorHeight)
            throw new ArgumentOutOfRangeException(nameof(height), "the block must come after its anchor");

        BigInteger powLimit = CompactTarget.Decode(parameters.PowLimitBits);
        BigInteger anchorTarget = CompactTarget.Decode(anchorBits);
        if (anchorTarget > powLimit)
            throw new ArgumentOutOfRangeException(nameof(anchorBits), "the anchor target is above the pow limit");

        return CompactTarget.Encode(NextTarget(anchorTarget, powLimit, parameters, height - anchorHeight, (Int128)parentTime - anchorParentTime));
    }

    /// <summary>The exact target before compact encoding; <paramref name="blocksSinceAnchor"/> = height − anchorHeight (≥ 1).</summary>
    internal static BigInteger NextTarget(BigInteger anchorTarget, BigInteger powLimit, AsertParameters parameters,
                                          long blocksSinceAnchor, Int128 timeSinceAnchorParent)
    {
        // Bitcoin Cash: (nTimeDiff − ideal · (nHeightDiff + 1)) · 65536 / halfLife, with C++'s truncating division
        // (Int128's division truncates toward zero too).
        Int128 offset = timeSinceAnchorParent - (Int128)parameters.IdealBlockSeconds * blocksSinceAnchor;
        Int128 exponent = offset * 65536 / parameters.HalfLifeSeconds;

        // Integer part by arithmetic shift (floor), fractional part as the low 16 bits.
        Int128 wholeDoublings = exponent >> 16;
        if (wholeDoublings > SaturatingShift) return powLimit;
        if (wholeDoublings < -SaturatingShift) return BigInteger.One;

        ulong frac = (ulong)(exponent & 0xffff);
        // Cannot overflow 64 bits: the sum is below 2^64 for frac < 2^16 (Bitcoin Cash's own bound).
        ulong factor = 65536UL + ((LinearCoefficient * frac
                                   + QuadraticCoefficient * frac * frac
                                   + CubicCoefficient * frac * frac * frac
                                   + (1UL << 47)) >> 48);

        BigInteger next = anchorTarget * factor;
        int shifts = (int)wholeDoublings - 16;
        next = shifts <= 0 ? next >> -shifts : next << shifts;

        if (next.IsZero) return BigInteger.One; // 0 is not a valid target, 1 is
        return next > powLimit ? powLimit : next;
    }
}
