using System.Runtime.CompilerServices;

namespace P2P.Inference.Numerics;

/// <summary>
/// Deterministic-mode softmax: m = max s_i, e_i = (float)exp((double)(s_i − m)), Σ = the e_i summed in double in the
/// 8-lane order of the dot products (lane j takes i ≡ j mod 8 over full groups of 8, the tail goes into the first
/// lanes, then ((l0+l1)+(l2+l3))+((l4+l5)+(l6+l7))), p_i = (float)(e_i / Σ). The lanes let vector code sum without
/// one long chain of dependent additions; the vector and scalar forms give the same bits.
/// </summary>
internal static unsafe class DeterministicSoftmax
{
    public static void Apply(float* values, int count)
    {
        if (count <= 0) return;
        if (DeterministicVectorMath.IsSupported)
        {
            var (min, max) = DeterministicVectorMath.MinMax(values, count);
            double sum = DeterministicVectorMath.ExpShiftedSum(values, count, min, max);
            DeterministicVectorMath.Divide(values, count, sum);
            return;
        }
        ApplyScalar(values, count);
    }

    /// <summary>The contract written out one element at a time (the fallback, and the tests' reference).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ApplyScalar(float* values, int count)
    {
        float max = float.NegativeInfinity;
        for (int i = 0; i < count; i++) max = MathF.Max(max, values[i]);
        double* lanes = stackalloc double[8];
        for (int j = 0; j < 8; j++) lanes[j] = 0;
        int full = count & ~7;
        for (int i = 0; i < count; i++)
        {
            float e = DeterministicMath.Exp(values[i] - max);
            values[i] = e;
            lanes[i < full ? i & 7 : i - full] += e;
        }
        double sum = ReduceLanes(lanes);
        for (int i = 0; i < count; i++) values[i] = (float)(values[i] / sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double ReduceLanes(double* lanes) =>
        ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
}
