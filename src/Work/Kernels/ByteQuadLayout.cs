using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace P2P.Work.Kernels;

/// <summary>
/// The `vpdpbusd` kernels' B layout: per 16-column panel, per group of 4 rows, 64 bytes = columns 0–15 × 4 rows
/// (one zmm, lane = column; or two ymm of 8 columns each).
/// </summary>
internal static unsafe class ByteQuadLayout
{
    public static int PackedLength(int k, int n) => k * n;

    public static void Pack(ReadOnlySpan<sbyte> source, int rowStride, int columnStride, int k, int n, Span<byte> destination)
    {
        if (destination.Length < k * n) throw new ArgumentException("destination too short", nameof(destination));
        if (rowStride == 1)
            PackColumnsContiguous(source, columnStride, k, n, destination);
        else if (columnStride == 1)
            PackRowsContiguous(source, rowStride, k, n, destination);
        else
        {
            int index = 0;
            for (int panel = 0; panel < n; panel += Int8GemmKernel.ColumnBlock)
                for (int k4 = 0; k4 < k; k4 += 4)
                    for (int col = 0; col < Int8GemmKernel.ColumnBlock; col++)
                        for (int r = 0; r < 4; r++)
                            destination[index++] = (byte)source[(k4 + r) * rowStride + (panel + col) * columnStride];
        }
    }

    /// <summary>Each column's 4 consecutive rows are 4 contiguous source bytes: copy them as one int32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackColumnsContiguous(ReadOnlySpan<sbyte> source, int columnStride, int k, int n, Span<byte> destination)
    {
        if (source.Length < (n - 1) * columnStride + k) throw new ArgumentException("source too short", nameof(source));
        fixed (sbyte* src = source)
        fixed (byte* dst = destination)
        {
            if (Avx512F.IsSupported && k % 64 == 0)
            {
                // 16 columns × 64 rows at a time: one zmm per column holds its 16 row quads; a 16×16 int32 transpose
                // turns them into the 16 blocks of the layout (lane = column), instead of 256 scalar copies.
                for (int panel = 0; panel < n; panel += Int8GemmKernel.ColumnBlock)
                    for (int kb = 0; kb < k; kb += 64)
                        Transpose16x16((int*)(src + (long)panel * columnStride + kb), columnStride, (int*)(dst + (long)panel * k + kb * 16));
                return;
            }
            int* d = (int*)dst;
            for (int panel = 0; panel < n; panel += Int8GemmKernel.ColumnBlock)
                for (int k4 = 0; k4 < k; k4 += 4)
                    for (int col = 0; col < Int8GemmKernel.ColumnBlock; col++)
                        *d++ = *(int*)(src + (long)(panel + col) * columnStride + k4);
        }
    }

    /// <summary>destination[q·16 + c] = source[c·sourceStride bytes + q] for a 16×16 block of int32 (c: column, q: row quad).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose16x16(int* source, int sourceStride, int* destination)
    {
        var r = stackalloc Vector512<int>[16];
        for (int c = 0; c < 16; c++) r[c] = Avx512F.LoadVector512((int*)((byte*)source + (long)c * sourceStride));
        var t = stackalloc Vector512<int>[16];
        // Within each 128-bit lane L: 2×2 blocks of int32, then 4×4 (r[4g + j] = columns 4g…4g+3 of quad 4L + j).
        for (int g = 0; g < 16; g += 4)
        {
            var a = Avx512F.UnpackLow(r[g], r[g + 1]);
            var b = Avx512F.UnpackHigh(r[g], r[g + 1]);
            var c = Avx512F.UnpackLow(r[g + 2], r[g + 3]);
            var d = Avx512F.UnpackHigh(r[g + 2], r[g + 3]);
            t[g] = Avx512F.UnpackLow(a.AsInt64(), c.AsInt64()).AsInt32();
            t[g + 1] = Avx512F.UnpackHigh(a.AsInt64(), c.AsInt64()).AsInt32();
            t[g + 2] = Avx512F.UnpackLow(b.AsInt64(), d.AsInt64()).AsInt32();
            t[g + 3] = Avx512F.UnpackHigh(b.AsInt64(), d.AsInt64()).AsInt32();
        }
        // Then across lanes: 0x88 takes lanes 0 and 2 of each operand, 0xDD lanes 1 and 3.
        for (int j = 0; j < 4; j++)
        {
            r[j] = Avx512F.Shuffle4x128(t[j], t[j + 4], 0x88);
            r[j + 4] = Avx512F.Shuffle4x128(t[j], t[j + 4], 0xDD);
            r[j + 8] = Avx512F.Shuffle4x128(t[j + 8], t[j + 12], 0x88);
            r[j + 12] = Avx512F.Shuffle4x128(t[j + 8], t[j + 12], 0xDD);
        }
        for (int j = 0; j < 4; j++)
        {
            Avx512F.Store(destination + 16 * j, Avx512F.Shuffle4x128(r[j], r[j + 8], 0x88));
            Avx512F.Store(destination + 16 * (j + 4), Avx512F.Shuffle4x128(r[j + 4], r[j + 12], 0x88));
            Avx512F.Store(destination + 16 * (j + 8), Avx512F.Shuffle4x128(r[j], r[j + 8], 0xDD));
            Avx512F.Store(destination + 16 * (j + 12), Avx512F.Shuffle4x128(r[j + 4], r[j + 12], 0xDD));
        }
    }

    /// <summary>Rows are contiguous: interleave 4 rows of 16 bytes into the 64-byte block with byte/word unpacks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackRowsContiguous(ReadOnlySpan<sbyte> source, int rowStride, int k, int n, Span<byte> destination)
    {
        if (source.Length < (k - 1) * rowStride + n) throw new ArgumentException("source too short", nameof(source));
        fixed (sbyte* src = source)
        fixed (byte* dst = destination)
        {
            byte* d = dst;
            for (int panel = 0; panel < n; panel += Int8GemmKernel.ColumnBlock)
                for (int k4 = 0; k4 < k; k4 += 4)
                {
                    byte* s = (byte*)src + (long)k4 * rowStride + panel;
                    var r0 = Sse2.LoadVector128(s);
                    var r1 = Sse2.LoadVector128(s + rowStride);
                    var r2 = Sse2.LoadVector128(s + 2 * rowStride);
                    var r3 = Sse2.LoadVector128(s + 3 * rowStride);
                    var t0 = Sse2.UnpackLow(r0, r1).AsInt16();
                    var t1 = Sse2.UnpackHigh(r0, r1).AsInt16();
                    var u0 = Sse2.UnpackLow(r2, r3).AsInt16();
                    var u1 = Sse2.UnpackHigh(r2, r3).AsInt16();
                    Sse2.Store((short*)d, Sse2.UnpackLow(t0, u0));
                    Sse2.Store((short*)(d + 16), Sse2.UnpackHigh(t0, u0));
                    Sse2.Store((short*)(d + 32), Sse2.UnpackLow(t1, u1));
                    Sse2.Store((short*)(d + 48), Sse2.UnpackHigh(t1, u1));
                    d += 64;
                }
        }
    }
}
