using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace P2P.Work;

/// <summary>
/// The integer softmax of one attention row (docs/work-function.md §2.5) on AVX-512BW, 16 scores per step: the EXP
/// table is read with vpermt2w from registers, not with vpgatherdd (microcoded and very slow on CPUs with the Gather
/// Data Sampling mitigation) nor with one scalar load per score.
/// </summary>
internal static class Avx512Softmax
{
    /// <summary>EXP[i] = 0 from i = 180 on (§2.5), so min(i, 191) reads the same value as min(i, 255): 192 entries, 6 registers.</summary>
    private const int TableEntries = 192;

    private static readonly ushort[] Table = BuildTable();

    /// <summary>True where this path runs: AVX-512BW and rows a whole number of 16-score steps.</summary>
    public static bool Supports(int tokens) => Avx512BW.IsSupported && tokens % 16 == 0;

    private static ushort[] BuildTable()
    {
        if (ExpTable.Table[TableEntries - 1] != 0) throw new InvalidOperationException("EXP must vanish within the register table");
        var table = new ushort[TableEntries];
        for (int i = 0; i < TableEntries; i++) table[i] = checked((ushort)ExpTable.Table[i]);
        return table;
    }

    /// <summary>
    /// The causal softmax of a whole head: row i of the T×T raw scores (u8·s8 sums, corrected here by correction[j])
    /// becomes p[i][0..i] with zeros from i+1 on. Entries of scores above the diagonal are ignored and overwritten.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunCausal(Span<int> scores, ReadOnlySpan<int> correction, int tokens, int shift, Span<byte> probabilities)
    {
        var table = Table.AsSpan();
        var t0 = Vector512.Create(table[..32]);
        var t1 = Vector512.Create(table.Slice(32, 32));
        var t2 = Vector512.Create(table.Slice(64, 32));
        var t3 = Vector512.Create(table.Slice(96, 32));
        var t4 = Vector512.Create(table.Slice(128, 32));
        var t5 = Vector512.Create(table.Slice(160, 32));
        var bits = Vector128.CreateScalar(shift);
        for (int i = 0; i < tokens; i++)
            Row(scores.Slice(i * tokens, tokens), correction, i + 1, bits, probabilities.Slice(i * tokens, tokens), t0, t1, t2, t3, t4, t5);
    }

    /// <summary>One row: corrects scores[0..count) and writes p[0..T) with zeros from count on.</summary>
    public static void Run(Span<int> scores, ReadOnlySpan<int> correction, int count, int shift, Span<byte> probabilities)
    {
        var table = Table.AsSpan();
        Row(scores, correction, count, Vector128.CreateScalar(shift), probabilities, Vector512.Create(table[..32]), Vector512.Create(table.Slice(32, 32)),
            Vector512.Create(table.Slice(64, 32)), Vector512.Create(table.Slice(96, 32)), Vector512.Create(table.Slice(128, 32)), Vector512.Create(table.Slice(160, 32)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(Span<int> scores, ReadOnlySpan<int> correction, int count, Vector128<int> bits, Span<byte> probabilities,
        Vector512<ushort> t0, Vector512<ushort> t1, Vector512<ushort> t2, Vector512<ushort> t3, Vector512<ushort> t4, Vector512<ushort> t5)
    {
        int steps = (count + 15) / 16;
        var lanes = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var end = Vector512.Create(count);
        var max = Vector512.Create(int.MinValue);
        for (int k = 0; k < steps; k++)
        {
            var s = Vector512.Create(scores.Slice(16 * k, 16)) - Vector512.Create(correction.Slice(16 * k, 16));
            s.CopyTo(scores.Slice(16 * k, 16));
            max = Avx512F.Max(max, Vector512.ConditionalSelect(Vector512.LessThan(lanes + Vector512.Create(16 * k), end), s, Vector512.Create(int.MinValue)));
        }
        var m = Vector512.Create(HorizontalMax(max));

        var last = Vector512.Create(TableEntries - 1);
        var total = Vector512<int>.Zero;
        for (int k = 0; k < steps; k++)
        {
            // Lanes past count may hold scores above the max: their negative index saturates to 0 and is masked below.
            var index = Avx512F.Min(Avx512F.ShiftRightArithmetic(m - Vector512.Create(scores.Slice(16 * k, 16)), bits), last);
            var words = Avx512BW.PackUnsignedSaturate(index, index);
            var low = Avx512BW.PermuteVar32x16x2(t0, words, t1);
            var middle = Avx512BW.PermuteVar32x16x2(t2, words, t3);
            var high = Avx512BW.PermuteVar32x16x2(t4, words, t5);
            var e16 = Vector512.ConditionalSelect(Vector512.LessThan(words, Vector512.Create((ushort)128)), middle, high);
            e16 = Vector512.ConditionalSelect(Vector512.LessThan(words, Vector512.Create((ushort)64)), low, e16);
            // vpackusdw put each 128-bit lane's 4 indices in its low 4 words; unpacking those with zeros restores the order.
            var e = Avx512BW.UnpackLow(e16, Vector512<ushort>.Zero).AsInt32();
            e = Vector512.ConditionalSelect(Vector512.LessThan(lanes + Vector512.Create(16 * k), end), e, Vector512<int>.Zero);
            e.CopyTo(scores.Slice(16 * k, 16));
            total += e;
        }

        // e ≤ Σe, so e·R ≤ 255·2^24 < 2^32: the low 32 bits of the product are exact as an unsigned number.
        var reciprocal = Vector512.Create((uint)((255L << 24) / Vector512.Sum(total)));
        for (int k = 0; k < steps; k++)
        {
            var p = Avx512F.ShiftRightLogical(Avx512F.MultiplyLow(Vector512.Create(scores.Slice(16 * k, 16)).AsUInt32(), reciprocal), 24);
            Avx512F.ConvertToVector128Byte(p).CopyTo(probabilities.Slice(16 * k, 16));
        }
        probabilities[(16 * steps)..].Clear();
    }

    private static int HorizontalMax(Vector512<int> v)
    {
        var half = Avx2.Max(v.GetLower(), v.GetUpper());
        var quarter = Sse41.Max(half.GetLower(), half.GetUpper());
        return Math.Max(Math.Max(quarter.GetElement(0), quarter.GetElement(1)), Math.Max(quarter.GetElement(2), quarter.GetElement(3)));
    }
}
