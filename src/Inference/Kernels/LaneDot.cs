using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace P2P.Inference.Kernels;

/// <summary>
/// Dot products in the deterministic 8-lane order: lane j accumulates x[i]·w[i] for i ≡ j (mod 8) with a fused
/// multiply-add, in increasing i; the tail (count mod 8 elements) is fused into lanes 0..r−1; then
/// ((l0+l1)+(l2+l3)) + ((l4+l5)+(l6+l7)). AVX2+FMA, ARM64 AdvSimd and plain scalar code all produce these exact bits.
/// </summary>
internal static unsafe class LaneDot
{
    public const int Lanes = 8;

    private static readonly bool UseAvx = Vector256.IsHardwareAccelerated && Fma.IsSupported;
    private static readonly bool UseNeon = AdvSimd.IsSupported;

    /// <summary>Which instruction path is in use (for diagnostics and the determinism tests).</summary>
    public static string Path => UseAvx ? "avx2-fma" : UseNeon ? "arm64-advsimd" : "scalar";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Dot(float* x, float* w, int count)
    {
        float* lanes = stackalloc float[Lanes];
        int full = count & ~(Lanes - 1);
        if (UseAvx)
        {
            var acc = Vector256<float>.Zero;
            for (int i = 0; i < full; i += Lanes)
                acc = Fma.MultiplyAdd(Vector256.Load(x + i), Vector256.Load(w + i), acc);
            acc.Store(lanes);
        }
        else
        {
            AccumulateLanesPortable(x, w, full, lanes);
        }
        return Finish(lanes, x + full, w + full, count - full);
    }

    /// <summary>y[r·ldy + o] for 3 rows of x and 4 rows of w (the GEMM micro-tile); AVX path only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile3x4(float* x, int ldx, float* w, int ldw, int count, float* y, int ldy)
    {
        int full = count & ~(Lanes - 1);
        float* x0 = x, x1 = x + ldx, x2 = x + 2 * ldx;
        float* w0 = w, w1 = w + ldw, w2 = w + 2 * ldw, w3 = w + 3 * ldw;
        Vector256<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector256<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector256<float> a20 = default, a21 = default, a22 = default, a23 = default;
        for (int i = 0; i < full; i += Lanes)
        {
            var v0 = Vector256.Load(w0 + i);
            var v1 = Vector256.Load(w1 + i);
            var v2 = Vector256.Load(w2 + i);
            var v3 = Vector256.Load(w3 + i);
            var u = Vector256.Load(x0 + i);
            a00 = Fma.MultiplyAdd(u, v0, a00); a01 = Fma.MultiplyAdd(u, v1, a01);
            a02 = Fma.MultiplyAdd(u, v2, a02); a03 = Fma.MultiplyAdd(u, v3, a03);
            u = Vector256.Load(x1 + i);
            a10 = Fma.MultiplyAdd(u, v0, a10); a11 = Fma.MultiplyAdd(u, v1, a11);
            a12 = Fma.MultiplyAdd(u, v2, a12); a13 = Fma.MultiplyAdd(u, v3, a13);
            u = Vector256.Load(x2 + i);
            a20 = Fma.MultiplyAdd(u, v0, a20); a21 = Fma.MultiplyAdd(u, v1, a21);
            a22 = Fma.MultiplyAdd(u, v2, a22); a23 = Fma.MultiplyAdd(u, v3, a23);
        }
        int tail = count - full;
        if (tail == 0)
        {
            Reduce4(a00, a01, a02, a03).Store(y);
            Reduce4(a10, a11, a12, a13).Store(y + ldy);
            Reduce4(a20, a21, a22, a23).Store(y + 2 * ldy);
            return;
        }
        float* lanes = stackalloc float[Lanes];
        Emit(a00, lanes, x0, w0, full, tail, y);
        Emit(a01, lanes, x0, w1, full, tail, y + 1);
        Emit(a02, lanes, x0, w2, full, tail, y + 2);
        Emit(a03, lanes, x0, w3, full, tail, y + 3);
        Emit(a10, lanes, x1, w0, full, tail, y + ldy);
        Emit(a11, lanes, x1, w1, full, tail, y + ldy + 1);
        Emit(a12, lanes, x1, w2, full, tail, y + ldy + 2);
        Emit(a13, lanes, x1, w3, full, tail, y + ldy + 3);
        Emit(a20, lanes, x2, w0, full, tail, y + 2 * ldy);
        Emit(a21, lanes, x2, w1, full, tail, y + 2 * ldy + 1);
        Emit(a22, lanes, x2, w2, full, tail, y + 2 * ldy + 2);
        Emit(a23, lanes, x2, w3, full, tail, y + 2 * ldy + 3);
    }

    /// <summary>One row of x against 4 rows of w (the GEMV micro-tile); AVX path only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile1x4(float* x, float* w, int ldw, int count, float* y)
    {
        int full = count & ~(Lanes - 1);
        float* w0 = w, w1 = w + ldw, w2 = w + 2 * ldw, w3 = w + 3 * ldw;
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        // Dense rows (ldw == count) form one block of 4·count floats read front to back: prefetch the block after next
        // at the rate this one is consumed (two lines per step), so one thread keeps enough misses in flight to stream
        // at DRAM speed. Prefetches change no arithmetic.
        byte* ahead = Sse.IsSupported && ldw == count ? (byte*)(w + 8L * ldw) : null;
        for (int i = 0; i < full; i += Lanes)
        {
            if (ahead != null)
            {
                Sse.Prefetch0(ahead + 16L * i);
                Sse.Prefetch0(ahead + 16L * i + 64);
            }
            var u = Vector256.Load(x + i);
            a0 = Fma.MultiplyAdd(u, Vector256.Load(w0 + i), a0);
            a1 = Fma.MultiplyAdd(u, Vector256.Load(w1 + i), a1);
            a2 = Fma.MultiplyAdd(u, Vector256.Load(w2 + i), a2);
            a3 = Fma.MultiplyAdd(u, Vector256.Load(w3 + i), a3);
        }
        int tail = count - full;
        if (tail == 0)
        {
            Reduce4(a0, a1, a2, a3).Store(y);
            return;
        }
        float* lanes = stackalloc float[Lanes];
        Emit(a0, lanes, x, w0, full, tail, y);
        Emit(a1, lanes, x, w1, full, tail, y + 1);
        Emit(a2, lanes, x, w2, full, tail, y + 2);
        Emit(a3, lanes, x, w3, full, tail, y + 3);
    }

    /// <summary>
    /// One row of x against 8 rows of w (the decode tile for narrow rows); AVX path only. Each output is one dependent
    /// chain of fused multiply-adds (the 8-lane order): this tile keeps 8 chains in flight where <see cref="Tile1x4"/>
    /// keeps 4 (8 is the FMA units' latency × throughput), with the same per-output order and bits. Which rows it
    /// suits was measured, not derived: see <see cref="LaneDotProduct.Tile1x8MaxCount"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile1x8(float* x, float* w, int ldw, int count, float* y)
    {
        int full = count & ~(Lanes - 1);
        float* w0 = w, w1 = w + ldw, w2 = w + 2 * ldw, w3 = w + 3 * ldw, w4 = w + 4 * ldw, w5 = w + 5 * ldw, w6 = w + 6 * ldw, w7 = w + 7 * ldw;
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        // Dense rows form one block of 8·count floats read front to back: prefetch the next block at the rate this one
        // is consumed (four lines per step), the same distance in bytes as Tile1x4's block after next.
        byte* ahead = Sse.IsSupported && ldw == count ? (byte*)(w + 8L * ldw) : null;
        for (int i = 0; i < full; i += Lanes)
        {
            if (ahead != null)
            {
                byte* p = ahead + 32L * i;
                Sse.Prefetch0(p);
                Sse.Prefetch0(p + 64);
                Sse.Prefetch0(p + 128);
                Sse.Prefetch0(p + 192);
            }
            var u = Vector256.Load(x + i);
            a0 = Fma.MultiplyAdd(u, Vector256.Load(w0 + i), a0);
            a1 = Fma.MultiplyAdd(u, Vector256.Load(w1 + i), a1);
            a2 = Fma.MultiplyAdd(u, Vector256.Load(w2 + i), a2);
            a3 = Fma.MultiplyAdd(u, Vector256.Load(w3 + i), a3);
            a4 = Fma.MultiplyAdd(u, Vector256.Load(w4 + i), a4);
            a5 = Fma.MultiplyAdd(u, Vector256.Load(w5 + i), a5);
            a6 = Fma.MultiplyAdd(u, Vector256.Load(w6 + i), a6);
            a7 = Fma.MultiplyAdd(u, Vector256.Load(w7 + i), a7);
        }
        int tail = count - full;
        if (tail == 0)
        {
            Reduce4(a0, a1, a2, a3).Store(y);
            Reduce4(a4, a5, a6, a7).Store(y + 4);
            return;
        }
        float* lanes = stackalloc float[Lanes];
        Emit(a0, lanes, x, w0, full, tail, y);
        Emit(a1, lanes, x, w1, full, tail, y + 1);
        Emit(a2, lanes, x, w2, full, tail, y + 2);
        Emit(a3, lanes, x, w3, full, tail, y + 3);
        Emit(a4, lanes, x, w4, full, tail, y + 4);
        Emit(a5, lanes, x, w5, full, tail, y + 5);
        Emit(a6, lanes, x, w6, full, tail, y + 6);
        Emit(a7, lanes, x, w7, full, tail, y + 7);
    }

    public static bool HasTiles => UseAvx;

    /// <summary>
    /// The fixed pairwise reduction of four 8-lane accumulators at once: two rounds of horizontal adds form
    /// (l0+l1)+(l2+l3) and (l4+l5)+(l6+l7) of each, and the final add joins them, the order <see cref="Finish"/> uses.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Reduce4(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d)
    {
        var halves = Avx.HorizontalAdd(Avx.HorizontalAdd(a, b), Avx.HorizontalAdd(c, d));
        return halves.GetLower() + halves.GetUpper();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Emit(Vector256<float> acc, float* lanes, float* x, float* w, int full, int tail, float* y)
    {
        acc.Store(lanes);
        *y = Finish(lanes, x + full, w + full, tail);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateLanesPortable(float* x, float* w, int full, float* lanes)
    {
        if (UseNeon)
        {
            var lo = Vector128<float>.Zero;
            var hi = Vector128<float>.Zero;
            for (int i = 0; i < full; i += Lanes)
            {
                lo = AdvSimd.FusedMultiplyAdd(lo, Vector128.Load(x + i), Vector128.Load(w + i));
                hi = AdvSimd.FusedMultiplyAdd(hi, Vector128.Load(x + i + 4), Vector128.Load(w + i + 4));
            }
            lo.Store(lanes);
            hi.Store(lanes + 4);
            return;
        }
        for (int j = 0; j < Lanes; j++) lanes[j] = 0f;
        for (int i = 0; i < full; i += Lanes)
        {
            for (int j = 0; j < Lanes; j++)
                lanes[j] = MathF.FusedMultiplyAdd(x[i + j], w[i + j], lanes[j]);
        }
    }

    /// <summary>Fuses the tail into lanes 0..tail−1, then reduces the lanes in the fixed pairwise order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Finish(float* lanes, float* xTail, float* wTail, int tail)
    {
        for (int j = 0; j < tail; j++) lanes[j] = MathF.FusedMultiplyAdd(xTail[j], wTail[j], lanes[j]);
        return ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
    }
}
