using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace P2P.Work;

/// <summary>
/// The element-wise steps of <see cref="WorkEpilogues"/> on 512-bit AVX-512 (F/BW) registers in exact int32 arithmetic:
/// one pass per row from int32 accumulators to the bytes the next GEMM reads. Callers check <see cref="IsSupported"/>
/// and <see cref="Fits"/>; the bits equal the scalar definition (docs/work-function.md §2.3, §5).
/// </summary>
/// <remarks>
/// rq(a; M) = sat8((a·M + 2^(S−1)) >> S) needs a 64-bit product in general, but the result saturates once
/// |a·M| ≥ 127·2^S. Clamping a to ±L with L = ⌈127·2^S / M⌉ first leaves every result unchanged (a ≥ L gives
/// a·M ≥ 127·2^S, hence ≥ 127 before saturation, and so does L itself; symmetrically below) and bounds the product by
/// 127·2^S + M, which fits int32 for the profiles' S = 20 and M &lt; 2^12, and for the norm's S = 16, M ≤ 2^23.
/// </remarks>
internal static class Avx512Epilogues
{
    public static bool IsSupported => Avx512BW.IsSupported;

    /// <summary>True when rq with this multiplier and shift is exact in int32 after the clamp.</summary>
    public static bool Fits(long multiplier, int shift) =>
        multiplier >= 1 && shift is >= 1 and <= 24 && (127L << shift) + multiplier + (1L << (shift - 1)) < int.MaxValue;

    private static int Limit(long multiplier, int shift) => (int)(((127L << shift) + multiplier - 1) / multiplier);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Rq(Vector512<int> v, Vector512<int> limit, Vector512<int> multiplier, Vector512<int> half, Vector128<int> shift)
    {
        v = Avx512F.Min(Avx512F.Max(v, -limit), limit);
        v = Avx512F.ShiftRightArithmetic(Avx512F.MultiplyLow(v, multiplier) + half, shift);
        return Avx512F.Min(Avx512F.Max(v, Vector512.Create(-127)), Vector512.Create(127));
    }

    /// <summary>output[c] = (byte)(rq(acc[c] − correction[c]) + bias), or max(0, rq(…)) when relu; one row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RequantizeToBytes(ReadOnlySpan<int> acc, ReadOnlySpan<int> correction, Span<byte> output, int multiplier, int shift, int bias, bool relu)
    {
        var limit = Vector512.Create(Limit(multiplier, shift));
        var m = Vector512.Create(multiplier);
        var half = Vector512.Create(1 << (shift - 1));
        var bits = Vector128.CreateScalar(shift);
        var offset = Vector512.Create(bias);
        var floor = relu ? Vector512<int>.Zero : Vector512.Create(-127);
        int c = 0;
        for (; c + 16 <= acc.Length; c += 16)
        {
            var v = Vector512.Create(acc.Slice(c, 16));
            if (!correction.IsEmpty) v -= Vector512.Create(correction.Slice(c, 16));
            v = Avx512F.Max(Rq(v, limit, m, half, bits), floor) + offset;
            Avx512F.ConvertToVector128Byte(v).CopyTo(output.Slice(c, 16));
        }
        for (; c < acc.Length; c++)
        {
            int y = IntegerOps.Requantize(acc[c] - (correction.IsEmpty ? 0 : correction[c]), multiplier, shift);
            output[c] = (byte)((relu ? Math.Max(0, y) : y) + bias);
        }
    }

    /// <summary>h = sat16(h + rq(acc − correction)) for one row; returns Σ h² of the updated row (for the next norm).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long AddToResidual(ReadOnlySpan<int> acc, ReadOnlySpan<int> correction, Span<int> residual, int multiplier, int shift)
    {
        var limit = Vector512.Create(Limit(multiplier, shift));
        var m = Vector512.Create(multiplier);
        var half = Vector512.Create(1 << (shift - 1));
        var bits = Vector128.CreateScalar(shift);
        var max = Vector512.Create(IntegerOps.Int16Max);
        var squares = Vector512<double>.Zero;
        int c = 0;
        for (; c + 16 <= acc.Length; c += 16)
        {
            var v = Vector512.Create(acc.Slice(c, 16));
            if (!correction.IsEmpty) v -= Vector512.Create(correction.Slice(c, 16));
            var h = Vector512.Create(residual.Slice(c, 16)) + Rq(v, limit, m, half, bits);
            h = Avx512F.Min(Avx512F.Max(h, -max), max);
            h.CopyTo(residual.Slice(c, 16));
            squares = AddSquares(squares, h);
        }
        // Squares are below 2^30 and at most a few thousand are summed: every partial sum is an exact double.
        long sum = (long)Vector512.Sum(squares);
        for (; c < acc.Length; c++)
        {
            residual[c] = IntegerOps.Sat16(residual[c] + IntegerOps.Requantize(acc[c] - (correction.IsEmpty ? 0 : correction[c]), multiplier, shift));
            sum += (long)residual[c] * residual[c];
        }
        return sum;
    }

    /// <summary>Σ x² of one row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long SumOfSquares(ReadOnlySpan<int> row)
    {
        var squares = Vector512<double>.Zero;
        int c = 0;
        for (; c + 16 <= row.Length; c += 16)
            squares = AddSquares(squares, Vector512.Create(row.Slice(c, 16)));
        long sum = (long)Vector512.Sum(squares);
        for (; c < row.Length; c++) sum += (long)row[c] * row[c];
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> AddSquares(Vector512<double> total, Vector512<int> v)
    {
        var lo = Avx512F.ConvertToVector512Double(v.GetLower());
        var hi = Avx512F.ConvertToVector512Double(v.GetUpper());
        return Avx512F.FusedMultiplyAdd(hi, hi, Avx512F.FusedMultiplyAdd(lo, lo, total));
    }

    /// <summary>y[c] = (byte)(sat8((x[c]·m + 2^15) >> 16) + bias) for one row (norm, §2.3, with its row multiplier m).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Normalize(ReadOnlySpan<int> x, Span<byte> y, long multiplier, int bias)
    {
        var limit = Vector512.Create(Limit(multiplier, 16));
        var m = Vector512.Create((int)multiplier);
        var half = Vector512.Create(1 << 15);
        var bits = Vector128.CreateScalar(16);
        var offset = Vector512.Create(bias);
        int c = 0;
        for (; c + 16 <= x.Length; c += 16)
            Avx512F.ConvertToVector128Byte(Rq(Vector512.Create(x.Slice(c, 16)), limit, m, half, bits) + offset).CopyTo(y.Slice(c, 16));
        for (; c < x.Length; c++) y[c] = (byte)(IntegerOps.Normalize(x[c], multiplier) + bias);
    }

    /// <summary>o + 128 = sat8((acc + 128) >> 8) + 128 for one row of the attention output.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AttentionOutput(ReadOnlySpan<int> acc, Span<byte> output)
    {
        int c = 0;
        for (; c + 16 <= acc.Length; c += 16)
        {
            var v = Avx512F.ShiftRightArithmetic(Vector512.Create(acc.Slice(c, 16)) + Vector512.Create(128), 8);
            v = Avx512F.Min(Avx512F.Max(v, Vector512.Create(-127)), Vector512.Create(127)) + Vector512.Create(128);
            Avx512F.ConvertToVector128Byte(v).CopyTo(output.Slice(c, 16));
        }
        for (; c < acc.Length; c++) output[c] = (byte)(IntegerOps.Sat8((acc[c] + 128) >> 8) + 128);
    }
}
