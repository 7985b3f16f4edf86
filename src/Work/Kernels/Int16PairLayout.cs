using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace P2P.Work.Kernels;

/// <summary>
/// The `vpmaddwd` kernels' operand layouts. B: per 16-column panel, per pair of rows, 64 bytes = columns 0–7 × 2 rows
/// as int16, then columns 8–15 (one zmm, or two ymm). A: rows widened to int16 (A is unsigned, so zero-extended).
/// </summary>
internal static class Int16PairLayout
{
    public static int PackedLength(int k, int n) => 2 * k * n;

    public static void Pack(ReadOnlySpan<sbyte> source, int rowStride, int columnStride, int k, int n, Span<byte> destination)
    {
        if (destination.Length < PackedLength(k, n)) throw new ArgumentException("destination too short", nameof(destination));
        var dst = MemoryMarshal.Cast<byte, short>(destination);
        int index = 0;
        for (int panel = 0; panel < n; panel += Int8GemmKernel.ColumnBlock)
            for (int k2 = 0; k2 < k; k2 += 2)
                for (int half = 0; half < Int8GemmKernel.ColumnBlock; half += 8)
                    for (int col = 0; col < 8; col++)
                        for (int r = 0; r < 2; r++)
                            dst[index++] = source[(k2 + r) * rowStride + (panel + half + col) * columnStride];
    }

    /// <summary>Copies m rows of k bytes (stride lda) into wide as m·k zero-extended int16 values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Widen(ReadOnlySpan<byte> a, int lda, int m, int k, Span<short> wide)
    {
        fixed (byte* pa = a)
        fixed (short* pw = wide)
        {
            for (int row = 0; row < m; row++)
            {
                byte* src = pa + (long)row * lda;
                short* dst = pw + (long)row * k;
                int i = 0;
                if (Avx2.IsSupported)
                    for (; i + 16 <= k; i += 16)
                        Avx.Store(dst + i, Avx2.ConvertToVector256Int16(Sse2.LoadVector128(src + i)));
                for (; i < k; i++) dst[i] = src[i];
            }
        }
    }
}
