using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace P2P.Inference.Kernels;

/// <summary>
/// output = Σ_t p_t·v_t over t in increasing order, one fused multiply-add per element and step, from +0 — the bits of
/// calling <see cref="IComputeBackend.MultiplyAdd"/> once per t. The vector forms keep outputs in registers across
/// all t, and the block form shares each load of v_t between four query rows.
/// </summary>
internal static unsafe class WeightedValueSum
{
    private static readonly bool UseAvx = Vector256.IsHardwareAccelerated && Fma.IsSupported;

    /// <summary>One row: weights[0, length) against values (row stride stride) into output[0, count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Accumulate(IComputeBackend backend, float* weights, int length, float* values, long stride, float* output, int count)
    {
        new Span<float>(output, count).Clear();
        Continue(backend, weights, 0, length, values, stride, output, count);
    }

    /// <summary>
    /// Rows i &lt; rows of a causal block: row i sums weights[i·ldw + t] · v_t for t &lt; firstLength + i into
    /// output[i·ldo, +count).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateBlock(IComputeBackend backend, float* weights, int ldw, int firstLength, int rows, float* values, long stride,
        float* output, int ldo, int count)
    {
        int g = 0;
        if (UseAvx)
        {
            for (; g + 4 <= rows; g += 4)
            {
                int common = firstLength + g;
                float* p = weights + (long)g * ldw, o = output + (long)g * ldo;
                int j = 0;
                for (; j + 16 <= count; j += 16) FourRowsSixteenColumns(p, ldw, common, values + j, stride, o + j, ldo);
                for (int i = 0; i < 4; i++)
                {
                    float* row = o + (long)i * ldo;
                    new Span<float>(row + j, count - j).Clear();
                    Continue(backend, p + (long)i * ldw, 0, common, values + j, stride, row + j, count - j);
                    Continue(backend, p + (long)i * ldw, common, common + i, values, stride, row, count);
                }
            }
        }
        for (; g < rows; g++)
            Accumulate(backend, weights + (long)g * ldw, firstLength + g, values, stride, output + (long)g * ldo, count);
    }

    /// <summary>Four rows × 16 outputs over t &lt; length, from +0; every v_t load serves all four rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourRowsSixteenColumns(float* p, int ldw, int length, float* v, long stride, float* o, int ldo)
    {
        float* p0 = p, p1 = p + ldw, p2 = p + 2 * ldw, p3 = p + 3 * ldw;
        Vector256<float> a00 = default, a01 = default, a10 = default, a11 = default;
        Vector256<float> a20 = default, a21 = default, a30 = default, a31 = default;
        for (int t = 0; t < length; t++, v += stride)
        {
            var v0 = Vector256.Load(v);
            var v1 = Vector256.Load(v + 8);
            var b = Vector256.Create(p0[t]);
            a00 = Fma.MultiplyAdd(b, v0, a00); a01 = Fma.MultiplyAdd(b, v1, a01);
            b = Vector256.Create(p1[t]);
            a10 = Fma.MultiplyAdd(b, v0, a10); a11 = Fma.MultiplyAdd(b, v1, a11);
            b = Vector256.Create(p2[t]);
            a20 = Fma.MultiplyAdd(b, v0, a20); a21 = Fma.MultiplyAdd(b, v1, a21);
            b = Vector256.Create(p3[t]);
            a30 = Fma.MultiplyAdd(b, v0, a30); a31 = Fma.MultiplyAdd(b, v1, a31);
        }
        a00.Store(o); a01.Store(o + 8);
        a10.Store(o + ldo); a11.Store(o + ldo + 8);
        a20.Store(o + 2 * ldo); a21.Store(o + 2 * ldo + 8);
        a30.Store(o + 3 * ldo); a31.Store(o + 3 * ldo + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Sweep64(float* weights, int from, int to, float* values, long stride, float* o)
    {
        Vector256<float> a0 = Vector256.Load(o), a1 = Vector256.Load(o + 8), a2 = Vector256.Load(o + 16), a3 = Vector256.Load(o + 24);
        Vector256<float> a4 = Vector256.Load(o + 32), a5 = Vector256.Load(o + 40), a6 = Vector256.Load(o + 48), a7 = Vector256.Load(o + 56);
        float* v = values + from * stride;
        for (int t = from; t < to; t++, v += stride)
        {
            var p = Vector256.Create(weights[t]);
            a0 = Fma.MultiplyAdd(p, Vector256.Load(v), a0); a1 = Fma.MultiplyAdd(p, Vector256.Load(v + 8), a1);
            a2 = Fma.MultiplyAdd(p, Vector256.Load(v + 16), a2); a3 = Fma.MultiplyAdd(p, Vector256.Load(v + 24), a3);
            a4 = Fma.MultiplyAdd(p, Vector256.Load(v + 32), a4); a5 = Fma.MultiplyAdd(p, Vector256.Load(v + 40), a5);
            a6 = Fma.MultiplyAdd(p, Vector256.Load(v + 48), a6); a7 = Fma.MultiplyAdd(p, Vector256.Load(v + 56), a7);
        }
        a0.Store(o); a1.Store(o + 8); a2.Store(o + 16); a3.Store(o + 24);
        a4.Store(o + 32); a5.Store(o + 40); a6.Store(o + 48); a7.Store(o + 56);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Sweep48(float* weights, int from, int to, float* values, long stride, float* o)
    {
        Vector256<float> a0 = Vector256.Load(o), a1 = Vector256.Load(o + 8), a2 = Vector256.Load(o + 16);
        Vector256<float> a3 = Vector256.Load(o + 24), a4 = Vector256.Load(o + 32), a5 = Vector256.Load(o + 40);
        float* v = values + from * stride;
        for (int t = from; t < to; t++, v += stride)
        {
            var p = Vector256.Create(weights[t]);
            a0 = Fma.MultiplyAdd(p, Vector256.Load(v), a0); a1 = Fma.MultiplyAdd(p, Vector256.Load(v + 8), a1);
            a2 = Fma.MultiplyAdd(p, Vector256.Load(v + 16), a2); a3 = Fma.MultiplyAdd(p, Vector256.Load(v + 24), a3);
            a4 = Fma.MultiplyAdd(p, Vector256.Load(v + 32), a4); a5 = Fma.MultiplyAdd(p, Vector256.Load(v + 40), a5);
        }
        a0.Store(o); a1.Store(o + 8); a2.Store(o + 16);
        a3.Store(o + 24); a4.Store(o + 32); a5.Store(o + 40);
    }

    /// <summary>Adds Σ_{t ∈ [from, to)} weights[t]·v_t to the partial sums already in output[0, count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Continue(IComputeBackend backend, float* weights, int from, int to, float* values, long stride, float* output, int count)
    {
        if (from >= to) return;
        int j = 0;
        if (UseAvx)
        {
            // Head dimensions 64 and 48 in one sweep over t with all their outputs in registers: narrower sweeps
            // leave a single accumulator chain, bound by the fused multiply-add's latency.
            for (; j + 64 <= count; j += 64) Sweep64(weights, from, to, values + j, stride, output + j);
            if (j + 48 <= count)
            {
                Sweep48(weights, from, to, values + j, stride, output + j);
                j += 48;
            }
            for (; j + 32 <= count; j += 32)
            {
                float* o = output + j;
                Vector256<float> a0 = Vector256.Load(o), a1 = Vector256.Load(o + 8), a2 = Vector256.Load(o + 16), a3 = Vector256.Load(o + 24);
                float* v = values + j + from * stride;
                for (int t = from; t < to; t++, v += stride)
                {
                    var p = Vector256.Create(weights[t]);
                    a0 = Fma.MultiplyAdd(p, Vector256.Load(v), a0);
                    a1 = Fma.MultiplyAdd(p, Vector256.Load(v + 8), a1);
                    a2 = Fma.MultiplyAdd(p, Vector256.Load(v + 16), a2);
                    a3 = Fma.MultiplyAdd(p, Vector256.Load(v + 24), a3);
                }
                a0.Store(o); a1.Store(o + 8); a2.Store(o + 16); a3.Store(o + 24);
            }
            for (; j + 8 <= count; j += 8)
            {
                var a = Vector256.Load(output + j);
                float* v = values + j + from * stride;
                for (int t = from; t < to; t++, v += stride) a = Fma.MultiplyAdd(Vector256.Create(weights[t]), Vector256.Load(v), a);
                a.Store(output + j);
            }
        }
        if (j == count) return;
        for (int t = from; t < to; t++) backend.MultiplyAdd(weights[t], values + t * stride + j, output + j, count - j);
    }
}
