using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace P2P.Inference.Kernels;

/// <summary>
/// AVX-512 form of the <see cref="LaneDot"/> GEMM tiles that keeps the 8-lane order: each 16-float register holds the
/// 8 lanes of two dot products — rows r and r+1 of x against the same weight row — so the per-lane sequence of fused
/// multiply-adds, and therefore every bit, is the one the 8-lane kernels produce. x rows are packed in pairs
/// (chunk c of row r, then chunk c of row r+1) so that one load fills a register.
/// </summary>
internal static unsafe class LaneDotWide
{
    /// <summary>Floats ahead of the current position to prefetch in each weight row (weights stream from DRAM).</summary>
    private const int PrefetchAhead = 256;

    public static readonly bool IsSupported = Avx512F.IsSupported && Avx512DQ.IsSupported && Fma.IsSupported && Vector256.IsHardwareAccelerated;

    /// <summary>Floats per packed row pair for inner length count (full 8-chunks only; tails are read from x).</summary>
    public static int PairStride(int count) => 2 * (count & ~7);

    /// <summary>Packs rows [0, rows − rows mod 2) of x (row stride ldx) into pairs; returns the buffer (free with NativeMemory.AlignedFree).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float* PackPairs(float* x, int rows, int ldx, int count)
    {
        int full = count & ~7, pairs = rows / 2, stride = PairStride(count);
        float* packed = (float*)NativeMemory.AlignedAlloc((nuint)((long)Math.Max(1, pairs) * Math.Max(1, stride) * sizeof(float)), 64);
        for (int p = 0; p < pairs; p++)
        {
            float* a = x + (long)(2 * p) * ldx, b = a + ldx, dst = packed + (long)p * stride;
            for (int i = 0; i < full; i += 8)
            {
                Vector256.Load(a + i).Store(dst + 2 * i);
                Vector256.Load(b + i).Store(dst + 2 * i + 8);
            }
        }
        return packed;
    }

    /// <summary>Rows r..r+5 (three packed pairs) against 4 weight rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile6x4(float* packed, int pairStride, float* x, int ldx, float* w, int ldw, int count, float* y, int ldy)
    {
        int full = count & ~7;
        float* p0 = packed, p1 = packed + pairStride, p2 = packed + 2 * pairStride;
        float* w0 = w, w1 = w + ldw, w2 = w + 2 * ldw, w3 = w + 3 * ldw;
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
        for (int i = 0; i < full; i += 8)
        {
            Sse.Prefetch0(w0 + i + PrefetchAhead);
            Sse.Prefetch0(w1 + i + PrefetchAhead);
            Sse.Prefetch0(w2 + i + PrefetchAhead);
            Sse.Prefetch0(w3 + i + PrefetchAhead);
            var v0 = Avx512DQ.BroadcastVector256ToVector512(w0 + i);
            var v1 = Avx512DQ.BroadcastVector256ToVector512(w1 + i);
            var v2 = Avx512DQ.BroadcastVector256ToVector512(w2 + i);
            var v3 = Avx512DQ.BroadcastVector256ToVector512(w3 + i);
            var u = Vector512.Load(p0 + 2 * i);
            a00 = Avx512F.FusedMultiplyAdd(u, v0, a00); a01 = Avx512F.FusedMultiplyAdd(u, v1, a01);
            a02 = Avx512F.FusedMultiplyAdd(u, v2, a02); a03 = Avx512F.FusedMultiplyAdd(u, v3, a03);
            u = Vector512.Load(p1 + 2 * i);
            a10 = Avx512F.FusedMultiplyAdd(u, v0, a10); a11 = Avx512F.FusedMultiplyAdd(u, v1, a11);
            a12 = Avx512F.FusedMultiplyAdd(u, v2, a12); a13 = Avx512F.FusedMultiplyAdd(u, v3, a13);
            u = Vector512.Load(p2 + 2 * i);
            a20 = Avx512F.FusedMultiplyAdd(u, v0, a20); a21 = Avx512F.FusedMultiplyAdd(u, v1, a21);
            a22 = Avx512F.FusedMultiplyAdd(u, v2, a22); a23 = Avx512F.FusedMultiplyAdd(u, v3, a23);
        }
        float* lanes = stackalloc float[16];
        int tail = count - full;
        EmitPair(a00, a01, a02, a03, lanes, x, ldx, w0, w1, w2, w3, full, tail, y, ldy);
        EmitPair(a10, a11, a12, a13, lanes, x + 2L * ldx, ldx, w0, w1, w2, w3, full, tail, y + 2L * ldy, ldy);
        EmitPair(a20, a21, a22, a23, lanes, x + 4L * ldx, ldx, w0, w1, w2, w3, full, tail, y + 4L * ldy, ldy);
    }

    /// <summary>Rows r..r+7 (four packed pairs) against 4 weight rows: a decode batch of 8 in one pass over the weights.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile8x4(float* packed, int pairStride, float* x, int ldx, float* w, int ldw, int count, float* y, int ldy)
    {
        int full = count & ~7;
        float* p0 = packed, p1 = packed + pairStride, p2 = packed + 2 * pairStride, p3 = packed + 3 * pairStride;
        float* w0 = w, w1 = w + ldw, w2 = w + 2 * ldw, w3 = w + 3 * ldw;
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default;
        for (int i = 0; i < full; i += 8)
        {
            Sse.Prefetch0(w0 + i + PrefetchAhead);
            Sse.Prefetch0(w1 + i + PrefetchAhead);
            Sse.Prefetch0(w2 + i + PrefetchAhead);
            Sse.Prefetch0(w3 + i + PrefetchAhead);
            var v0 = Avx512DQ.BroadcastVector256ToVector512(w0 + i);
            var v1 = Avx512DQ.BroadcastVector256ToVector512(w1 + i);
            var v2 = Avx512DQ.BroadcastVector256ToVector512(w2 + i);
            var v3 = Avx512DQ.BroadcastVector256ToVector512(w3 + i);
            var u = Vector512.Load(p0 + 2 * i);
            a00 = Avx512F.FusedMultiplyAdd(u, v0, a00); a01 = Avx512F.FusedMultiplyAdd(u, v1, a01);
            a02 = Avx512F.FusedMultiplyAdd(u, v2, a02); a03 = Avx512F.FusedMultiplyAdd(u, v3, a03);
            u = Vector512.Load(p1 + 2 * i);
            a10 = Avx512F.FusedMultiplyAdd(u, v0, a10); a11 = Avx512F.FusedMultiplyAdd(u, v1, a11);
            a12 = Avx512F.FusedMultiplyAdd(u, v2, a12); a13 = Avx512F.FusedMultiplyAdd(u, v3, a13);
            u = Vector512.Load(p2 + 2 * i);
            a20 = Avx512F.FusedMultiplyAdd(u, v0, a20); a21 = Avx512F.FusedMultiplyAdd(u, v1, a21);
            a22 = Avx512F.FusedMultiplyAdd(u, v2, a22); a23 = Avx512F.FusedMultiplyAdd(u, v3, a23);
            u = Vector512.Load(p3 + 2 * i);
            a30 = Avx512F.FusedMultiplyAdd(u, v0, a30); a31 = Avx512F.FusedMultiplyAdd(u, v1, a31);
            a32 = Avx512F.FusedMultiplyAdd(u, v2, a32); a33 = Avx512F.FusedMultiplyAdd(u, v3, a33);
        }
        float* lanes = stackalloc float[16];
        int tail = count - full;
        EmitPair(a00, a01, a02, a03, lanes, x, ldx, w0, w1, w2, w3, full, tail, y, ldy);
        EmitPair(a10, a11, a12, a13, lanes, x + 2L * ldx, ldx, w0, w1, w2, w3, full, tail, y + 2L * ldy, ldy);
        EmitPair(a20, a21, a22, a23, lanes, x + 4L * ldx, ldx, w0, w1, w2, w3, full, tail, y + 4L * ldy, ldy);
        EmitPair(a30, a31, a32, a33, lanes, x + 6L * ldx, ldx, w0, w1, w2, w3, full, tail, y + 6L * ldy, ldy);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void EmitPair(Vector512<float> c0, Vector512<float> c1, Vector512<float> c2, Vector512<float> c3, float* lanes,
        float* xa, int ldx, float* w0, float* w1, float* w2, float* w3, int full, int tail, float* ya, int ldy)
    {
        float* xb = xa + ldx, yb = ya + ldy;
        if (tail == 0)
        {
            LaneDot.Reduce4(c0.GetLower(), c1.GetLower(), c2.GetLower(), c3.GetLower()).Store(ya);
            LaneDot.Reduce4(c0.GetUpper(), c1.GetUpper(), c2.GetUpper(), c3.GetUpper()).Store(yb);
            return;
        }
        Emit(c0, lanes, xa, xb, w0, full, tail, ya, yb);
        Emit(c1, lanes, xa, xb, w1, full, tail, ya + 1, yb + 1);
        Emit(c2, lanes, xa, xb, w2, full, tail, ya + 2, yb + 2);
        Emit(c3, lanes, xa, xb, w3, full, tail, ya + 3, yb + 3);
    }

    /// <summary>Rows r, r+1 (one packed pair) against 4 weight rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile2x4(float* packed, float* x, int ldx, float* w, int ldw, int count, float* y, int ldy)
    {
        int full = count & ~7;
        float* w0 = w, w1 = w + ldw, w2 = w + 2 * ldw, w3 = w + 3 * ldw;
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int i = 0; i < full; i += 8)
        {
            Sse.Prefetch0(w0 + i + PrefetchAhead);
            Sse.Prefetch0(w1 + i + PrefetchAhead);
            Sse.Prefetch0(w2 + i + PrefetchAhead);
            Sse.Prefetch0(w3 + i + PrefetchAhead);
            var u = Vector512.Load(packed + 2 * i);
            a0 = Avx512F.FusedMultiplyAdd(u, Avx512DQ.BroadcastVector256ToVector512(w0 + i), a0);
            a1 = Avx512F.FusedMultiplyAdd(u, Avx512DQ.BroadcastVector256ToVector512(w1 + i), a1);
            a2 = Avx512F.FusedMultiplyAdd(u, Avx512DQ.BroadcastVector256ToVector512(w2 + i), a2);
            a3 = Avx512F.FusedMultiplyAdd(u, Avx512DQ.BroadcastVector256ToVector512(w3 + i), a3);
        }
        float* lanes = stackalloc float[16];
        int tail = count - full;
        EmitPair(a0, a1, a2, a3, lanes, x, ldx, w0, w1, w2, w3, full, tail, y, ldy);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Emit(Vector512<float> acc, float* lanes, float* xa, float* xb, float* w, int full, int tail, float* ya, float* yb)
    {
        acc.Store(lanes);
        *ya = LaneDot.Finish(lanes, xa + full, w + full, tail);
        *yb = LaneDot.Finish(lanes + 8, xb + full, w + full, tail);
    }
}
