using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace P2P.Inference.Kernels;

/// <summary>
/// The per-token element-wise operations: residual add and RMSNorm's scaling (one IEEE operation per element, like
/// <c>TensorPrimitives</c>, so the bits are the same in both modes) and fast mode's softmax and SiLU (with
/// <see cref="VectorExp"/>). Kept here because TensorPrimitives' generic dispatch methods start unoptimised and are
/// tiered up only in the middle of a fresh process's first generation, while these are optimised from their first call.
/// </summary>
internal static unsafe class ElementWise
{
    /// <summary>y[i] = y[i] + x[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(float* y, float* x, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= count; i += 8) (Vector256.Load(y + i) + Vector256.Load(x + i)).Store(y + i);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 4 <= count; i += 4) (Vector128.Load(y + i) + Vector128.Load(x + i)).Store(y + i);
        }
        for (; i < count; i++) y[i] += x[i];
    }

    /// <summary>y[i] = (x[i] · scale) · w[i]: two rounded products, in this order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScaleMultiply(float* x, float scale, float* w, float* y, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(scale);
            for (; i + 8 <= count; i += 8) (Vector256.Load(x + i) * s * Vector256.Load(w + i)).Store(y + i);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var s = Vector128.Create(scale);
            for (; i + 4 <= count; i += 4) (Vector128.Load(x + i) * s * Vector128.Load(w + i)).Store(y + i);
        }
        for (; i < count; i++) y[i] = x[i] * scale * w[i];
    }

    /// <summary>Fast mode's softmax in place: m = max, e_i = exp(v_i − m), v_i = e_i / Σe (<see cref="VectorExp"/>; not bit-stable).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SoftmaxFast(float* values, int count)
    {
        int i = 0;
        float max = float.NegativeInfinity;
        if (Vector256.IsHardwareAccelerated && count >= 8)
        {
            var m = Vector256.Create(float.NegativeInfinity);
            for (; i + 8 <= count; i += 8) m = Vector256.Max(m, Vector256.Load(values + i));
            for (int j = 0; j < 8; j++) max = MathF.Max(max, m.GetElement(j));
        }
        for (; i < count; i++) max = MathF.Max(max, values[i]);
        i = 0;
        float sum = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var m = Vector256.Create(max);
            var total = Vector256<float>.Zero;
            for (; i + 8 <= count; i += 8)
            {
                var e = VectorExp.Exp(Vector256.Load(values + i) - m);
                e.Store(values + i);
                total += e;
            }
            sum = Vector256.Sum(total);
        }
        for (; i < count; i++)
        {
            values[i] = MathF.Exp(values[i] - max);
            sum += values[i];
        }
        i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(sum);
            for (; i + 8 <= count; i += 8) (Vector256.Load(values + i) / s).Store(values + i);
        }
        for (; i < count; i++) values[i] /= sum;
    }

    /// <summary>Fast mode's y[i] = g[i] · sigmoid(g[i]) · u[i], sigmoid(g) = 1 / (1 + exp(−g)) (<see cref="VectorExp"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SiluMultiplyFast(float* gate, float* up, float* y, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var one = Vector256.Create(1f);
            for (; i + 8 <= count; i += 8)
            {
                var g = Vector256.Load(gate + i);
                (g / (one + VectorExp.Exp(-g)) * Vector256.Load(up + i)).Store(y + i);
            }
        }
        for (; i < count; i++)
        {
            float g = gate[i];
            y[i] = g / (1f + MathF.Exp(-g)) * up[i];
        }
    }
}
