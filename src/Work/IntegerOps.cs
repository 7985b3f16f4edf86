namespace P2P.Work;

/// <summary>The integer primitives of work/1: saturation, requantisation, integer square root (docs/work-function.md §2.3).</summary>
public static class IntegerOps
{
    public const int Int8Max = 127;
    public const int Int16Max = 32767;

    public static int Sat8(long x) => x > Int8Max ? Int8Max : x < -Int8Max ? -Int8Max : (int)x;

    public static int Sat16(long x) => x > Int16Max ? Int16Max : x < -Int16Max ? -Int16Max : (int)x;

    /// <summary>sat8((acc·m + 2^(s−1)) >> s) with an arithmetic (floor) shift, in 64-bit arithmetic.</summary>
    public static int Requantize(long acc, int multiplier, int shift) =>
        Sat8((acc * multiplier + (1L << (shift - 1))) >> shift);

    /// <summary>floor(√n) for n ≥ 0, exact for every 64-bit input.</summary>
    public static long Isqrt(long n)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n));
        // Compared by division, not by squaring, so that no candidate overflows even for n near 2^63.
        long r = (long)Math.Sqrt(n);
        while (r > 0 && r > n / r) r--;
        while (r + 1 <= n / (r + 1)) r++;
        return r;
    }

    /// <summary>The per-row multiplier of the integer RMS normalisation: (gain·2^16) / max(1, isqrt(Σx² / d)).</summary>
    public static long NormMultiplier(long sumOfSquares, int width, int gain)
    {
        long root = Isqrt(sumOfSquares / width);
        if (root == 0) root = 1;
        return ((long)gain << 16) / root;
    }

    /// <summary>One normalised element: sat8((x·m + 2^15) >> 16).</summary>
    public static int Normalize(long x, long multiplier) => Sat8((x * multiplier + (1L << 15)) >> 16);
}
