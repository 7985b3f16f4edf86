namespace P2P.Inference.Work;

/// <summary>The element-wise steps between GEMMs of the batched evaluator (docs/work-function.md §2.3, §2.5).</summary>
internal static class WorkEpilogues
{
    /// <summary>norm(x) per row, written as y+128 (the unsigned GEMM operand).</summary>
    public static void NormalizeOffset(ReadOnlySpan<int> x, Span<byte> y, int rows, int width, int gain)
    {
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * width, width);
            long m = RowMultiplier(row, gain);
            var dst = y.Slice(r * width, width);
            for (int c = 0; c < width; c++)
                dst[c] = (byte)(IntegerOps.Normalize(row[c], m) + 128);
        }
    }

    public static void NormalizeSigned(ReadOnlySpan<int> x, Span<sbyte> y, int rows, int width, int gain)
    {
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * width, width);
            long m = RowMultiplier(row, gain);
            var dst = y.Slice(r * width, width);
            for (int c = 0; c < width; c++)
                dst[c] = (sbyte)IntegerOps.Normalize(row[c], m);
        }
    }

    private static long RowMultiplier(ReadOnlySpan<int> row, int gain)
    {
        long sum = 0;
        foreach (int v in row) sum += (long)v * v;
        return IntegerOps.NormMultiplier(sum, row.Length, gain);
    }

    /// <summary>rq of the fused Q|K|V accumulators into q+128, k and v.</summary>
    public static void SplitQkv(ReadOnlySpan<int> acc, ReadOnlySpan<int> correction, int rows, int d, int multiplier, int shift,
        Span<byte> queries, Span<sbyte> keys, Span<sbyte> values)
    {
        for (int r = 0; r < rows; r++)
        {
            var a = acc.Slice(r * 3 * d, 3 * d);
            var q = queries.Slice(r * d, d);
            var k = keys.Slice(r * d, d);
            var v = values.Slice(r * d, d);
            for (int c = 0; c < d; c++)
            {
                q[c] = (byte)(IntegerOps.Requantize(a[c] - correction[c], multiplier, shift) + 128);
                k[c] = (sbyte)IntegerOps.Requantize(a[d + c] - correction[d + c], multiplier, shift);
                v[c] = (sbyte)IntegerOps.Requantize(a[2 * d + c] - correction[2 * d + c], multiplier, shift);
            }
        }
    }

    /// <summary>h = sat16(h + rq(acc − correction)).</summary>
    public static void AddToResidual(ReadOnlySpan<int> acc, int[]? correction, Span<int> residual, int rows, int d, int multiplier, int shift)
    {
        for (int r = 0; r < rows; r++)
        {
            var a = acc.Slice(r * d, d);
            var h = residual.Slice(r * d, d);
            for (int c = 0; c < d; c++)
                h[c] = IntegerOps.Sat16(h[c] + IntegerOps.Requantize(a[c] - (correction is null ? 0 : correction[c]), multiplier, shift));
        }
    }

    /// <summary>u = max(0, rq(acc − correction)), already unsigned for the next GEMM.</summary>
    public static void Relu(ReadOnlySpan<int> acc, ReadOnlySpan<int> correction, Span<byte> output, int rows, int f, int multiplier, int shift)
    {
        for (int r = 0; r < rows; r++)
        {
            var a = acc.Slice(r * f, f);
            var u = output.Slice(r * f, f);
            for (int c = 0; c < f; c++)
                u[c] = (byte)Math.Max(0, IntegerOps.Requantize(a[c] - correction[c], multiplier, shift));
        }
    }
}
