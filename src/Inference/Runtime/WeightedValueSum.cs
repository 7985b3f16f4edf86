using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using P2P.Inference.Kernels;

namespace P2P.Inference.Runtime;

/// <summary>
/// output = Σ_t p_t·v_t over t in increasing order, one fused multiply-add per element and step — the bits of calling
/// <see cref="IComputeBackend.MultiplyAdd"/> once per t, but with 32 outputs held in registers across all t instead
/// of a load and store of the output per step.
/// </summary>
internal static unsafe class WeightedValueSum
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Accumulate(IComputeBackend backend, float* weights, int length, float* values, long stride, float* output, int count)
    {
        new Span<float>(output, count).Clear();
        int j = 0;
        if (Vector256.IsHardwareAccelerated && Fma.IsSupported)
        {
            for (; j + 32 <= count; j += 32)
            {
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
                float* v = values + j;
                for (int t = 0; t < length; t++, v += stride)
                {
                    var p = Vector256.Create(weights[t]);
                    a0 = Fma.MultiplyAdd(p, Vector256.Load(v), a0);
                    a1 = Fma.MultiplyAdd(p, Vector256.Load(v + 8), a1);
                    a2 = Fma.MultiplyAdd(p, Vector256.Load(v + 16), a2);
                    a3 = Fma.MultiplyAdd(p, Vector256.Load(v + 24), a3);
                }
                a0.Store(output + j);
                a1.Store(output + j + 8);
                a2.Store(output + j + 16);
                a3.Store(output + j + 24);
            }
        }
        if (j == count) return;
        for (int t = 0; t < length; t++) backend.MultiplyAdd(weights[t], values + t * stride + j, output + j, count - j);
    }
}
