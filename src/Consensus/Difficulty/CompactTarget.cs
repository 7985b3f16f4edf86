using System.Numerics;

namespace P2P.Consensus.Difficulty;

/// <summary>Bitcoin's compact "nBits" encoding of a 256-bit target.</summary>
/// <remarks>
/// Layout: the top byte is a base-256 exponent (the target's length in bytes), the low 23 bits the
/// mantissa, and bit 23 a sign. Decoding follows Bitcoin's <c>SetCompact</c>, encoding its
/// <c>GetCompact</c>, so every nBits value means what it means on Bitcoin and Bitcoin Cash.
/// </remarks>
public static class CompactTarget
{
    private const uint SignBit = 0x0080_0000;
    private const uint MantissaMask = 0x007f_ffff;

    /// <summary>2^256: targets are 256-bit numbers, so they stay below this.</summary>
    public static BigInteger TwoTo256 { get; } = BigInteger.One << 256;

    /// <summary>False for a negative target, one that overflows 256 bits, or zero.</summary>
    public static bool TryDecode(uint bits, out BigInteger target)
    {
        int size = (int)(bits >> 24);
        uint mantissa = bits & MantissaMask;
        target = size <= 3
            ? new BigInteger(mantissa >> (8 * (3 - size)))
            : new BigInteger(mantissa) << (8 * (size - 3));

        bool negative = mantissa != 0 && (bits & SignBit) != 0;
        // Bitcoin's overflow rule, stated on the mantissa width so that it needs no 256-bit arithmetic.
        bool overflow = mantissa != 0 && (size > 34 || (mantissa > 0xff && size > 33) || (mantissa > 0xffff && size > 32));
        if (negative || overflow || target.IsZero)
        {
            target = BigInteger.Zero;
            return false;
        }
        return true;
    }

    /// <summary>The target of <paramref name="bits"/>; <see cref="FormatException"/> when it is negative, over 256 bits or zero.</summary>
    public static BigInteger Decode(uint bits) =>
        TryDecode(bits, out var target)
            ? target
            : throw new FormatException($"nBits 0x{bits:x8} is not a valid target (negative, over 256 bits or zero)");

    /// <summary>The compact form of <paramref name="target"/> (0 &lt; target &lt; 2^256); low mantissa bits are truncated, as in Bitcoin.</summary>
    public static uint Encode(BigInteger target)
    {
        if (target.Sign <= 0 || target >= TwoTo256)
            throw new ArgumentOutOfRangeException(nameof(target), "a target is a positive 256-bit number");

        int size = (int)((target.GetBitLength() + 7) / 8);
        uint compact = size <= 3
            ? (uint)target << (8 * (3 - size))
            : (uint)(target >> (8 * (size - 3)));
        // The mantissa is signed: when its top bit is set, move one byte into the exponent.
        if ((compact & SignBit) != 0)
        {
            compact >>= 8;
            size++;
        }
        return compact | ((uint)size << 24);
    }

    /// <summary>The expected number of hashes to find a hash ≤ <paramref name="target"/>: floor(2^256 / (target + 1)).</summary>
    public static BigInteger Work(BigInteger target)
    {
        if (target.Sign < 0) throw new ArgumentOutOfRangeException(nameof(target), "a target is not negative");
        return TwoTo256 / (target + 1);
    }
}
