using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace P2P.Work;

/// <summary>
/// The element-wise steps between GEMMs of the batched evaluator (docs/work-function.md §2.3–§2.5). With AVX-512 they run
/// in <see cref="Avx512Epilogues"/> (exact int32, one pass per row); the AVX2 paths compute rq and norm in double
/// precision, which is exact here: every product is an integer below 2^47 (§5).
/// </summary>
internal static class WorkEpilogues
{
    /// <summary>norm(x) per row, written as y+128 (the unsigned GEMM operand); squares[r] = Σ x² of row r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void NormalizeOffset(Span<int> x, Span<byte> y, int rows, int width, int gain, ReadOnlySpan<long> squares, Span<int> scratch)
    {
        for (int r = 0; r < rows; r++)
            NormalizeRow(x.Slice(r * width, width), y.Slice(r * width, width), IntegerOps.NormMultiplier(squares[r], width, gain), 128, scratch);
    }

    private static void NormalizeRow(Span<int> row, Span<byte> output, long multiplier, int bias, Span<int> scratch)
    {
        if (Avx512Epilogues.IsSupported && Avx512Epilogues.Fits(multiplier, 16))
        {
            Avx512Epilogues.Normalize(row, output, multiplier, bias);
            return;
        }
        var normed = scratch[..row.Length];
        Requantize(row, default, normed, multiplier, 16);
        NarrowToBytes(normed, output, bias);
    }

    /// <summary>squares[r] = Σ x² of each row.</summary>
    public static void RowSquares(ReadOnlySpan<int> x, int rows, int width, Span<long> squares)
    {
        for (int r = 0; r < rows; r++)
            squares[r] = SumOfSquares(x.Slice(r * width, width));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long SumOfSquares(ReadOnlySpan<int> row)
    {
        if (Avx512Epilogues.IsSupported) return Avx512Epilogues.SumOfSquares(row);
        long sum = 0;
        int c = 0;
        if (Avx2.IsSupported)
        {
            // Squares are below 2^30 and at most 2^12 of them are summed: every partial sum is an exact double.
            var total = Vector256<double>.Zero;
            for (; c + 8 <= row.Length; c += 8)
            {
                var v = Vector256.Create(row.Slice(c, 8));
                var lo = Avx.ConvertToVector256Double(v.GetLower());
                var hi = Avx.ConvertToVector256Double(v.GetUpper());
                total = Avx.Add(total, Avx.Add(Avx.Multiply(lo, lo), Avx.Multiply(hi, hi)));
            }
            sum = (long)Vector256.Sum(total);
        }
        for (; c < row.Length; c++) sum += (long)row[c] * row[c];
        return sum;
    }

    /// <summary>output[c] = rq(input[c] − correction[c]; multiplier, shift) for one row (correction may be empty).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Requantize(ReadOnlySpan<int> input, ReadOnlySpan<int> correction, Span<int> output, long multiplier, int shift)
    {
        int c = 0;
        if (Avx2.IsSupported)
        {
            var m = Vector256.Create((double)multiplier);
            var half = Vector256.Create((double)(1L << (shift - 1)));
            var scale = Vector256.Create(1.0 / (1L << shift));
            for (; c + 8 <= input.Length; c += 8)
            {
                var v = Vector256.Create(input.Slice(c, 8));
                if (!correction.IsEmpty) v = Avx2.Subtract(v, Vector256.Create(correction.Slice(c, 8)));
                Rq8(v, m, half, scale).CopyTo(output.Slice(c, 8));
            }
        }
        for (; c < input.Length; c++)
            output[c] = IntegerOps.Requantize(input[c] - (correction.IsEmpty ? 0 : correction[c]), checked((int)multiplier), shift);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Rq8(Vector256<int> v, Vector256<double> m, Vector256<double> half, Vector256<double> scale)
    {
        var max = Vector256.Create(127.0);
        var min = Vector256.Create(-127.0);
        var lo = Avx.ConvertToVector256Double(v.GetLower());
        var hi = Avx.ConvertToVector256Double(v.GetUpper());
        lo = Avx.Min(max, Avx.Max(min, Avx.Floor(Avx.Multiply(Avx.Add(Avx.Multiply(lo, m), half), scale))));
        hi = Avx.Min(max, Avx.Max(min, Avx.Floor(Avx.Multiply(Avx.Add(Avx.Multiply(hi, m), half), scale))));
        return Vector256.Create(Avx.ConvertToVector128Int32WithTruncation(lo), Avx.ConvertToVector128Int32WithTruncation(hi));
    }

    /// <summary>output[c] = (byte)(input[c] + bias) for values already within a byte after the bias.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void NarrowToBytes(ReadOnlySpan<int> input, Span<byte> output, int bias)
    {
        int c = 0;
        if (Avx2.IsSupported)
        {
            var b = Vector256.Create(bias);
            for (; c + 32 <= input.Length; c += 32)
            {
                var s0 = Vector256.Narrow(Avx2.Add(Vector256.Create(input.Slice(c, 8)), b), Avx2.Add(Vector256.Create(input.Slice(c + 8, 8)), b));
                var s1 = Vector256.Narrow(Avx2.Add(Vector256.Create(input.Slice(c + 16, 8)), b), Avx2.Add(Vector256.Create(input.Slice(c + 24, 8)), b));
                Vector256.Narrow(s0.AsUInt16(), s1.AsUInt16()).CopyTo(output.Slice(c, 32));
            }
        }
        for (; c < input.Length; c++) output[c] = (byte)(input[c] + bias);
    }

    /// <summary>rq of the fused Q|K|V accumulators into q+128, k and v (accumulators are overwritten).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SplitQkv(Span<int> acc, ReadOnlySpan<int> correction, int rows, int d, int multiplier, int shift,
        Span<byte> queries, Span<sbyte> keys, Span<sbyte> values)
    {
        if (Avx512Epilogues.IsSupported && Avx512Epilogues.Fits(multiplier, shift))
        {
            var keyBytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(keys);
            var valueBytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values);
            for (int r = 0; r < rows; r++)
            {
                var a = acc.Slice(r * 3 * d, 3 * d);
                Avx512Epilogues.RequantizeToBytes(a[..d], correction[..d], queries.Slice(r * d, d), multiplier, shift, 128, relu: false);
                Avx512Epilogues.RequantizeToBytes(a.Slice(d, d), correction.Slice(d, d), keyBytes.Slice(r * d, d), multiplier, shift, 0, relu: false);
                Avx512Epilogues.RequantizeToBytes(a.Slice(2 * d, d), correction.Slice(2 * d, d), valueBytes.Slice(r * d, d), multiplier, shift, 0, relu: false);
            }
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            var a = acc.Slice(r * 3 * d, 3 * d);
            Requantize(a, correction, a, multiplier, shift);
            NarrowToBytes(a[..d], queries.Slice(r * d, d), 128);
            NarrowToBytes(a.Slice(d, d), System.Runtime.InteropServices.MemoryMarshal.AsBytes(keys.Slice(r * d, d)), 0);
            NarrowToBytes(a.Slice(2 * d, d), System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.Slice(r * d, d)), 0);
        }
    }

    /// <summary>
    /// h = sat16(h + rq(acc − correction)) and squares[r] = Σ h² of each updated row (accumulators are overwritten); when
    /// normalized is not empty, norm(h) + bias of each row is written there right after it, while the row is in L1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddToResidual(Span<int> acc, ReadOnlySpan<int> correction, Span<int> residual, int rows, int d, int multiplier, int shift,
        Span<long> squares, Span<byte> normalized = default, int gain = 0, int bias = 0, Span<int> scratch = default)
    {
        bool wide = Avx512Epilogues.IsSupported && Avx512Epilogues.Fits(multiplier, shift);
        for (int r = 0; r < rows; r++)
        {
            var h = residual.Slice(r * d, d);
            squares[r] = AddRow(acc.Slice(r * d, d), correction, h, multiplier, shift, wide);
            if (!normalized.IsEmpty)
                NormalizeRow(h, normalized.Slice(r * d, d), IntegerOps.NormMultiplier(squares[r], d, gain), bias, scratch);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long AddRow(Span<int> a, ReadOnlySpan<int> correction, Span<int> h, int multiplier, int shift, bool wide)
    {
        if (wide)
            return Avx512Epilogues.AddToResidual(a, correction, h, multiplier, shift);
        Requantize(a, correction, a, multiplier, shift);
        int c = 0, d = h.Length;
        if (Avx2.IsSupported)
        {
            var max = Vector256.Create(IntegerOps.Int16Max);
            var min = Vector256.Create(-IntegerOps.Int16Max);
            for (; c + 8 <= d; c += 8)
                Avx2.Min(max, Avx2.Max(min, Avx2.Add(Vector256.Create(h.Slice(c, 8)), Vector256.Create(a.Slice(c, 8))))).CopyTo(h.Slice(c, 8));
        }
        for (; c < d; c++) h[c] = IntegerOps.Sat16(h[c] + a[c]);
        return SumOfSquares(h);
    }

    /// <summary>u = max(0, rq(acc − correction)), already unsigned for the next GEMM (accumulators are overwritten).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Relu(Span<int> acc, ReadOnlySpan<int> correction, Span<byte> output, int rows, int f, int multiplier, int shift)
    {
        if (Avx512Epilogues.IsSupported && Avx512Epilogues.Fits(multiplier, shift))
        {
            for (int r = 0; r < rows; r++)
                Avx512Epilogues.RequantizeToBytes(acc.Slice(r * f, f), correction, output.Slice(r * f, f), multiplier, shift, 0, relu: true);
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            var a = acc.Slice(r * f, f);
            Requantize(a, correction, a, multiplier, shift);
            int c = 0;
            if (Avx2.IsSupported)
                for (; c + 8 <= f; c += 8)
                    Avx2.Max(Vector256<int>.Zero, Vector256.Create(a.Slice(c, 8))).CopyTo(a.Slice(c, 8));
            for (; c < f; c++) a[c] = Math.Max(0, a[c]);
            NarrowToBytes(a, output.Slice(r * f, f), 0);
        }
    }
}
