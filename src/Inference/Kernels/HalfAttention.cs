using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace P2P.Inference.Kernels;

/// <summary>
/// Fast mode's per-row attention over a <see cref="KvFormat.Float16"/> cache: the keys and values are widened in
/// registers as they stream in, so each position costs half the bytes of the float32 cache. Scores take four keys per
/// pass over q; the value sum keeps all outputs in registers across positions. Every path (AVX-512, AVX2, scalar)
/// computes the same sums to float rounding; none is bit-exact with another, which fast mode does not promise.
/// </summary>
internal static unsafe class HalfAttention
{
    /// <summary>scores[t] = dot(q, k_t)·scale for t &lt; length; key t is keys[t·count, +count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scores(float* q, ushort* keys, int length, int count, float scale, float* scores)
    {
        int t = 0;
        if (HalfPrecision.Use512 && count % 16 == 0)
        {
            var rebias = Vector512.Create(HalfPrecision.Rebias);
            for (; t + 4 <= length; t += 4)
            {
                ushort* k0 = keys + (long)t * count, k1 = k0 + count, k2 = k1 + count, k3 = k2 + count;
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (int i = 0; i < count; i += 16)
                {
                    var u = Vector512.Load(q + i);
                    a0 = Avx512F.FusedMultiplyAdd(u, HalfPrecision.LoadScaled16(k0 + i) * rebias, a0);
                    a1 = Avx512F.FusedMultiplyAdd(u, HalfPrecision.LoadScaled16(k1 + i) * rebias, a1);
                    a2 = Avx512F.FusedMultiplyAdd(u, HalfPrecision.LoadScaled16(k2 + i) * rebias, a2);
                    a3 = Avx512F.FusedMultiplyAdd(u, HalfPrecision.LoadScaled16(k3 + i) * rebias, a3);
                }
                var sums = LaneDot.Reduce4(a0.GetLower() + a0.GetUpper(), a1.GetLower() + a1.GetUpper(),
                    a2.GetLower() + a2.GetUpper(), a3.GetLower() + a3.GetUpper());
                (sums * scale).Store(scores + t);
            }
        }
        else if (HalfPrecision.Use256 && count % 8 == 0)
        {
            var rebias = Vector256.Create(HalfPrecision.Rebias);
            for (; t + 4 <= length; t += 4)
            {
                ushort* k0 = keys + (long)t * count, k1 = k0 + count, k2 = k1 + count, k3 = k2 + count;
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (int i = 0; i < count; i += 8)
                {
                    var u = Vector256.Load(q + i);
                    a0 = Fma.MultiplyAdd(u, HalfPrecision.LoadScaled8(k0 + i) * rebias, a0);
                    a1 = Fma.MultiplyAdd(u, HalfPrecision.LoadScaled8(k1 + i) * rebias, a1);
                    a2 = Fma.MultiplyAdd(u, HalfPrecision.LoadScaled8(k2 + i) * rebias, a2);
                    a3 = Fma.MultiplyAdd(u, HalfPrecision.LoadScaled8(k3 + i) * rebias, a3);
                }
                (LaneDot.Reduce4(a0, a1, a2, a3) * scale).Store(scores + t);
            }
        }
        for (; t < length; t++)
        {
            ushort* k = keys + (long)t * count;
            float sum = 0f;
            for (int i = 0; i < count; i++) sum = MathF.FusedMultiplyAdd(q[i], HalfPrecision.ToSingle(k[i]), sum);
            scores[t] = sum * scale;
        }
    }

    /// <summary>output[0, count) = Σ_{t &lt; length} weights[t]·v_t; value t is values[t·count, +count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WeightedSum(float* weights, int length, ushort* values, int count, float* output)
    {
        int j = 0;
        if (HalfPrecision.Use512)
        {
            // Three 16-float column blocks per sweep over t (head dimension 48 in one sweep), then single blocks. The
            // weights carry the 2¹¹² rebias, so each value costs a widening load, a shift, a mask and a multiply-add.
            for (; j + 48 <= count; j += 48)
            {
                Vector512<float> a0 = default, a1 = default, a2 = default;
                ushort* v = values + j;
                for (int t = 0; t < length; t++, v += count)
                {
                    var p = Vector512.Create(weights[t] * HalfPrecision.Rebias);
                    a0 = Avx512F.FusedMultiplyAdd(p, HalfPrecision.LoadScaled16(v), a0);
                    a1 = Avx512F.FusedMultiplyAdd(p, HalfPrecision.LoadScaled16(v + 16), a1);
                    a2 = Avx512F.FusedMultiplyAdd(p, HalfPrecision.LoadScaled16(v + 32), a2);
                }
                a0.Store(output + j);
                a1.Store(output + j + 16);
                a2.Store(output + j + 32);
            }
            for (; j + 16 <= count; j += 16)
            {
                Vector512<float> a0 = default;
                ushort* v = values + j;
                for (int t = 0; t < length; t++, v += count)
                    a0 = Avx512F.FusedMultiplyAdd(Vector512.Create(weights[t] * HalfPrecision.Rebias), HalfPrecision.LoadScaled16(v), a0);
                a0.Store(output + j);
            }
        }
        if (HalfPrecision.Use256)
        {
            for (; j + 24 <= count; j += 24)
            {
                Vector256<float> a0 = default, a1 = default, a2 = default;
                ushort* v = values + j;
                for (int t = 0; t < length; t++, v += count)
                {
                    var p = Vector256.Create(weights[t] * HalfPrecision.Rebias);
                    a0 = Fma.MultiplyAdd(p, HalfPrecision.LoadScaled8(v), a0);
                    a1 = Fma.MultiplyAdd(p, HalfPrecision.LoadScaled8(v + 8), a1);
                    a2 = Fma.MultiplyAdd(p, HalfPrecision.LoadScaled8(v + 16), a2);
                }
                a0.Store(output + j);
                a1.Store(output + j + 8);
                a2.Store(output + j + 16);
            }
            for (; j + 8 <= count; j += 8)
            {
                Vector256<float> a0 = default;
                ushort* v = values + j;
                for (int t = 0; t < length; t++, v += count)
                    a0 = Fma.MultiplyAdd(Vector256.Create(weights[t] * HalfPrecision.Rebias), HalfPrecision.LoadScaled8(v), a0);
                a0.Store(output + j);
            }
        }
        for (; j < count; j++)
        {
            float sum = 0f;
            for (int t = 0; t < length; t++) sum = MathF.FusedMultiplyAdd(weights[t], HalfPrecision.ToSingle(values[(long)t * count + j]), sum);
            output[j] = sum;
        }
    }
}
