using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace P2P.Inference.Kernels;

/// <summary>
/// The per-token element-wise operations (residual add, RMSNorm's scaling), one IEEE operation per element like
/// <c>TensorPrimitives</c>, so the bits are the same; kept here because TensorPrimitives' generic dispatch methods start
/// unoptimised and are tiered up only in the middle of a fresh process's first generation, while these are optimised
/// from their first call.
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
}
