using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace P2P.Inference.Numerics;

/// <summary>
/// Four-lane AVX2 forms of <see cref="DeterministicMath.Exp(double)"/> and the deterministic SiLU/softmax loops.
/// Each lane performs exactly the scalar sequence of correctly rounded operations (no fused multiply-add), so
/// the results are the scalar function's bits; lanes outside [−708, 709] or NaN fall back to the scalar code.
/// </summary>
internal static unsafe class DeterministicVectorMath
{
    public static readonly bool IsSupported = Avx2.IsSupported && Vector256.IsHardwareAccelerated;

    private const double InvLn2 = 1.44269504088896338700e+00;
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double RoundingMagic = 6755399441055744.0; // 1.5 · 2^52: adding it leaves an integer in the low mantissa bits

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Vector256<double> Exp(Vector256<double> x)
    {
        var inRange = Avx.CompareGreaterThanOrEqual(x, Vector256.Create(-708.0)) & Avx.CompareLessThanOrEqual(x, Vector256.Create(709.0));
        if (inRange.ExtractMostSignificantBits() != 0xF)
            return Vector256.Create(DeterministicMath.Exp(x[0]), DeterministicMath.Exp(x[1]), DeterministicMath.Exp(x[2]), DeterministicMath.Exp(x[3]));
        var k = Avx.RoundToNearestInteger(x * Vector256.Create(InvLn2));
        var r = (x - k * Vector256.Create(Ln2Hi)) - k * Vector256.Create(Ln2Lo);
        var p = Vector256.Create(1.6059043836821613e-10);
        p = p * r + Vector256.Create(2.0876756987868100e-09);
        p = p * r + Vector256.Create(2.5052108385441720e-08);
        p = p * r + Vector256.Create(2.7557319223985888e-07);
        p = p * r + Vector256.Create(2.7557319223985893e-06);
        p = p * r + Vector256.Create(2.4801587301587302e-05);
        p = p * r + Vector256.Create(1.9841269841269841e-04);
        p = p * r + Vector256.Create(1.3888888888888889e-03);
        p = p * r + Vector256.Create(8.3333333333333332e-03);
        p = p * r + Vector256.Create(4.1666666666666664e-02);
        p = p * r + Vector256.Create(1.6666666666666666e-01);
        p = p * r + Vector256.Create(0.5);
        p = p * r + Vector256.Create(1.0);
        p = p * r + Vector256.Create(1.0);
        // 2^k from the integer k (|k| ≤ 1023 here): exponent field k + 1023, as the scalar ScaleByPowerOfTwo does.
        var integer = (k + Vector256.Create(RoundingMagic)).AsInt64() - Vector256.Create(RoundingMagic).AsInt64();
        var scale = Avx2.ShiftLeftLogical(integer + Vector256.Create(1023L), 52).AsDouble();
        return p * scale;
    }

    /// <summary>y[i] = gate[i] / (1 + (float)exp(−(double)gate[i])) · up[i], as the scalar loop computes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SiluMultiply(float* gate, float* up, float* y, int count)
    {
        int i = 0;
        for (; i + 4 <= count; i += 4)
        {
            var g = Vector128.Load(gate + i);
            var e = Avx.ConvertToVector128Single(Exp(Avx.ConvertToVector256Double(-g)));
            (g / (Vector128.Create(1f) + e) * Vector128.Load(up + i)).Store(y + i);
        }
        for (; i < count; i++) y[i] = gate[i] / (1f + DeterministicMath.Exp(-gate[i])) * up[i];
    }

    /// <summary>values[i] = (float)exp((double)(values[i] − max)); returns Σ values[i] summed in double in increasing i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double ExpShiftedSum(float* values, int count, float max)
    {
        int i = 0;
        double sum = 0;
        var m = Vector128.Create(max);
        for (; i + 4 <= count; i += 4)
        {
            var e = Avx.ConvertToVector128Single(Exp(Avx.ConvertToVector256Double(Vector128.Load(values + i) - m)));
            e.Store(values + i);
            sum += e[0];
            sum += e[1];
            sum += e[2];
            sum += e[3];
        }
        for (; i < count; i++)
        {
            values[i] = DeterministicMath.Exp(values[i] - max);
            sum += values[i];
        }
        return sum;
    }
}
