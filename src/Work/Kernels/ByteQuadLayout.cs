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
            int* d = (int*)dst;
            for (int panel = 0; panel < n; panel += Int8GemmKernel.ColumnBlock)
                for (int k4 = 0; k4 < k; k4 += 4)
                    for (int col = 0; col < Int8GemmKernel.ColumnBlock; col++)
                        *d++ = *(int*)(src + (long)(panel + col) * columnStride + k4);
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
