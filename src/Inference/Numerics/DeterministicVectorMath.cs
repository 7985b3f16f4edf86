using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace P2P.Inference.Numerics;

/// <summary>
/// Four-lane AVX2 and eight-lane AVX-512 forms of <see cref="DeterministicMath.Exp(double)"/> and the deterministic
/// SiLU/softmax loops. Each lane performs exactly the scalar sequence of correctly rounded operations (no fused
/// multiply-add), so the results are the scalar function's bits; lanes outside [−708, 709] or NaN fall back to the
/// scalar code.
/// </summary>
internal static unsafe class DeterministicVectorMath
{
    public static readonly bool IsSupported = Avx2.IsSupported && Vector256.IsHardwareAccelerated;

    /// <summary>Whether the eight-lane forms can run (AVX-512F).</summary>
    private static readonly bool IsWide = IsSupported && Avx512F.IsSupported;

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
        return ExpInRange(x);
    }

    /// <summary>
    /// <see cref="Exp(Vector256{double})"/> for lanes known to lie in [−708, 709]: no branch and no call, so a loop
    /// around it keeps its vectors in registers (a call in the loop made the JIT spill them to the stack, where
    /// unaligned 32- and 64-byte slots made the loop up to 2× slower depending on the caller's stack alignment).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ExpInRange(Vector256<double> x)
    {
        var k = Avx.RoundToNearestInteger(x * Vector256.Create(InvLn2));
        var r = (x - k * Vector256.Create(Ln2Hi)) - k * Vector256.Create(Ln2Lo);
        // Horner from 1/13! down to 1/0!, the scalar function's operations.
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

    /// <summary>The eight-lane form: the same operations as <see cref="Exp(Vector256{double})"/>, lane for lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Vector512<double> Exp(Vector512<double> x)
    {
        var inRange = Vector512.GreaterThanOrEqual(x, Vector512.Create(-708.0)) & Vector512.LessThanOrEqual(x, Vector512.Create(709.0));
        if (inRange.ExtractMostSignificantBits() != 0xFF)
            return Vector512.Create(Exp(x.GetLower()), Exp(x.GetUpper()));
        return ExpInRange(x);
    }

    /// <summary>The eight-lane <see cref="ExpInRange(Vector256{double})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> ExpInRange(Vector512<double> x)
    {
        // Round to nearest, ties to even, no precision exception (the imm8 of roundpd that Avx.RoundToNearestInteger uses).
        var k = Avx512F.RoundScale(x * Vector512.Create(InvLn2), 0x08);
        var r = (x - k * Vector512.Create(Ln2Hi)) - k * Vector512.Create(Ln2Lo);
        var p = Vector512.Create(1.6059043836821613e-10);
        p = p * r + Vector512.Create(2.0876756987868100e-09);
        p = p * r + Vector512.Create(2.5052108385441720e-08);
        p = p * r + Vector512.Create(2.7557319223985888e-07);
        p = p * r + Vector512.Create(2.7557319223985893e-06);
        p = p * r + Vector512.Create(2.4801587301587302e-05);
        p = p * r + Vector512.Create(1.9841269841269841e-04);
        p = p * r + Vector512.Create(1.3888888888888889e-03);
        p = p * r + Vector512.Create(8.3333333333333332e-03);
        p = p * r + Vector512.Create(4.1666666666666664e-02);
        p = p * r + Vector512.Create(1.6666666666666666e-01);
        p = p * r + Vector512.Create(0.5);
        p = p * r + Vector512.Create(1.0);
        p = p * r + Vector512.Create(1.0);
        var integer = (k + Vector512.Create(RoundingMagic)).AsInt64() - Vector512.Create(RoundingMagic).AsInt64();
        var scale = Avx512F.ShiftLeftLogical(integer + Vector512.Create(1023L), 52).AsDouble();
        return p * scale;
    }

    /// <summary>y[i] = gate[i] / (1 + (float)exp(−(double)gate[i])) · up[i], as the scalar loop computes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SiluMultiply(float* gate, float* up, float* y, int count)
    {
        int i = 0;
        // Gates within [−709, 708] (all of them, in practice) take call-free loops; others the general one.
        var (smallest, largest) = MinMax(gate, count);
        bool inRange = count > 0 && smallest >= -709f && largest <= 708f;
        if (IsWide && inRange)
        {
            i = count & ~7;
            SiluInRange8(gate, up, y, i);
        }
        else if (IsWide)
        {
            for (; i + 8 <= count; i += 8)
            {
                var g = Vector256.Load(gate + i);
                var e = Avx512F.ConvertToVector256Single(Exp(Avx512F.ConvertToVector512Double(-g)));
                (g / (Vector256.Create(1f) + e) * Vector256.Load(up + i)).Store(y + i);
            }
        }
        if (inRange)
        {
            int full = i + ((count - i) & ~3);
            SiluInRange4(gate + i, up + i, y + i, full - i);
            i = full;
        }
        for (; i + 4 <= count; i += 4)
        {
            var g = Vector128.Load(gate + i);
            var e = Avx.ConvertToVector128Single(Exp(Avx.ConvertToVector256Double(-g)));
            (g / (Vector128.Create(1f) + e) * Vector128.Load(up + i)).Store(y + i);
        }
        for (; i < count; i++) y[i] = gate[i] / (1f + DeterministicMath.Exp(-gate[i])) * up[i];
    }

    /// <summary>The eight-lane SiLU loop over [0, count) (a multiple of 8) when every exponent is in range: no call inside.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SiluInRange8(float* gate, float* up, float* y, int count)
    {
        for (int i = 0; i < count; i += 8)
        {
            var g = Vector256.Load(gate + i);
            var e = Avx512F.ConvertToVector256Single(ExpInRange(Avx512F.ConvertToVector512Double(-g)));
            (g / (Vector256.Create(1f) + e) * Vector256.Load(up + i)).Store(y + i);
        }
    }

    /// <summary>The four-lane SiLU loop over [0, count) (a multiple of 4) when every exponent is in range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SiluInRange4(float* gate, float* up, float* y, int count)
    {
        for (int i = 0; i < count; i += 4)
        {
            var g = Vector128.Load(gate + i);
            var e = Avx.ConvertToVector128Single(ExpInRange(Avx.ConvertToVector256Double(-g)));
            (g / (Vector128.Create(1f) + e) * Vector128.Load(up + i)).Store(y + i);
        }
    }

    /// <summary>
    /// values[i] = (float)exp((double)(values[i] − max)); returns Σ values[i] in double in the 8-lane order of
    /// <see cref="DeterministicSoftmax"/>. min and max are the row's, from <see cref="MinMax"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double ExpShiftedSum(float* values, int count, float min, float max)
    {
        int i = 0, full = count & ~7;
        double* lanes = stackalloc double[8];
        // Shifted values within [−708, 0] (all of them, when the scores are finite and within 708 of each other) take
        // call-free loops; others (NaN and infinities fail the test) the general ones.
        bool inRange = count > 0 && min - max >= -708f;
        if (inRange)
        {
            if (IsWide) ExpShiftedLanes8(values, full, max, lanes);
            else ExpShiftedLanes4(values, full, max, lanes);
            i = full;
        }
        else if (IsWide)
        {
            var m = Vector256.Create(max);
            var sum = Vector512<double>.Zero;
            for (; i < full; i += 8)
            {
                var e = Avx512F.ConvertToVector256Single(Exp(Avx512F.ConvertToVector512Double(Vector256.Load(values + i) - m)));
                e.Store(values + i);
                sum += Avx512F.ConvertToVector512Double(e);
            }
            sum.Store(lanes);
        }
        else
        {
            var m = Vector128.Create(max);
            Vector256<double> low = Vector256<double>.Zero, high = Vector256<double>.Zero;
            for (; i < full; i += 8)
            {
                var e = Avx.ConvertToVector128Single(Exp(Avx.ConvertToVector256Double(Vector128.Load(values + i) - m)));
                e.Store(values + i);
                low += Avx.ConvertToVector256Double(e);
                e = Avx.ConvertToVector128Single(Exp(Avx.ConvertToVector256Double(Vector128.Load(values + i + 4) - m)));
                e.Store(values + i + 4);
                high += Avx.ConvertToVector256Double(e);
            }
            low.Store(lanes);
            high.Store(lanes + 4);
        }
        for (; i < count; i++)
        {
            values[i] = DeterministicMath.Exp(values[i] - max);
            lanes[i - full] += values[i];
        }
        return DeterministicSoftmax.ReduceLanes(lanes);
    }

    /// <summary>The eight-lane softmax exponentials and lane sums over [0, full) when all are in range: no call inside.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ExpShiftedLanes8(float* values, int full, float max, double* lanes)
    {
        var m = Vector256.Create(max);
        var sum = Vector512<double>.Zero;
        for (int i = 0; i < full; i += 8)
        {
            var e = Avx512F.ConvertToVector256Single(ExpInRange(Avx512F.ConvertToVector512Double(Vector256.Load(values + i) - m)));
            e.Store(values + i);
            sum += Avx512F.ConvertToVector512Double(e);
        }
        sum.Store(lanes);
    }

    /// <summary>The four-lane form of <see cref="ExpShiftedLanes8"/> (two vectors of four per group of eight).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ExpShiftedLanes4(float* values, int full, float max, double* lanes)
    {
        var m = Vector128.Create(max);
        Vector256<double> low = Vector256<double>.Zero, high = Vector256<double>.Zero;
        for (int i = 0; i < full; i += 8)
        {
            var e = Avx.ConvertToVector128Single(ExpInRange(Avx.ConvertToVector256Double(Vector128.Load(values + i) - m)));
            e.Store(values + i);
            low += Avx.ConvertToVector256Double(e);
            e = Avx.ConvertToVector128Single(ExpInRange(Avx.ConvertToVector256Double(Vector128.Load(values + i + 4) - m)));
            e.Store(values + i + 4);
            high += Avx.ConvertToVector256Double(e);
        }
        low.Store(lanes);
        high.Store(lanes + 4);
    }

    /// <summary>
    /// Σ_i exp((double)values[i] − max) added one term at a time in increasing i (the contract of
    /// <see cref="Generation.LogSoftmax"/>): the exponentials are computed eight or four at a time, the sum stays one
    /// chain, so the bits are the scalar loop's. min and max are the row's, from <see cref="MinMax"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double ExpShiftedSequentialSum(float* values, int count, float min, float max)
    {
        int i = 0;
        double sum = 0, shift = max;
        // Logits within 708 of their maximum (all of them, in practice) take the loops without the out-of-range path;
        // NaN or infinite logits fail the test and take the general one.
        bool inRange = count > 0 && min - shift >= -708.0;
        if (IsWide && inRange)
        {
            i = count & ~7;
            sum = SumInRange8(values, i, shift);
        }
        else if (inRange)
        {
            i = count & ~3;
            sum = SumInRange4(values, i, shift);
        }
        else
        {
            var m = Vector256.Create(shift);
            for (; i + 4 <= count; i += 4)
            {
                var e = Exp(Avx.ConvertToVector256Double(Vector128.Load(values + i)) - m);
                sum += e[0]; sum += e[1]; sum += e[2]; sum += e[3];
            }
        }
        for (; i < count; i++) sum += DeterministicMath.Exp(values[i] - shift);
        return sum;
    }

    /// <summary>
    /// Σ exp(values[i] − max) over [0, count) (a multiple of 8), one add at a time: a loop with no call in it, so
    /// the running sum stays in a register (kept on the stack, every add also waited for a store and a reload).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SumInRange8(float* values, int count, double max)
    {
        var m = Vector512.Create(max);
        double sum = 0;
        for (int i = 0; i < count; i += 8)
        {
            var e = ExpInRange(Avx512F.ConvertToVector512Double(Vector256.Load(values + i)) - m);
            sum += e[0]; sum += e[1]; sum += e[2]; sum += e[3]; sum += e[4]; sum += e[5]; sum += e[6]; sum += e[7];
        }
        return sum;
    }

    /// <summary>The four-lane <see cref="SumInRange8"/> (count a multiple of 4).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SumInRange4(float* values, int count, double max)
    {
        var m = Vector256.Create(max);
        double sum = 0;
        for (int i = 0; i < count; i += 4)
        {
            var e = ExpInRange(Avx.ConvertToVector256Double(Vector128.Load(values + i)) - m);
            sum += e[0]; sum += e[1]; sum += e[2]; sum += e[3];
        }
        return sum;
    }

    /// <summary>
    /// The smallest and the largest of values[0, count) in one pass, each as a loop of <see cref="MathF.Min(float, float)"/>
    /// or <see cref="MathF.Max(float, float)"/> gives it: NaN if any is NaN, +0 over −0 for the largest, ±∞ for an empty
    /// range (those operations are associative and commutative, and Vector256.Min/Max have the same semantics).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (float Min, float Max) MinMax(float* values, int count)
    {
        int i = 0;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        if (count >= 16)
        {
            Vector256<float> low0 = Vector256.Load(values), low1 = Vector256.Load(values + 8);
            Vector256<float> high0 = low0, high1 = low1;
            for (i = 16; i + 16 <= count; i += 16)
            {
                var v0 = Vector256.Load(values + i);
                var v1 = Vector256.Load(values + i + 8);
                low0 = Vector256.Min(low0, v0);
                low1 = Vector256.Min(low1, v1);
                high0 = Vector256.Max(high0, v0);
                high1 = Vector256.Max(high1, v1);
            }
            var low = Vector256.Min(low0, low1);
            var high = Vector256.Max(high0, high1);
            for (int j = 0; j < 8; j++)
            {
                min = MathF.Min(min, low[j]);
                max = MathF.Max(max, high[j]);
            }
        }
        for (; i < count; i++)
        {
            min = MathF.Min(min, values[i]);
            max = MathF.Max(max, values[i]);
        }
        return (min, max);
    }

    /// <summary>values[i] = (float)(values[i] / sum), the division in double as the scalar loop does it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Divide(float* values, int count, double sum)
    {
        int i = 0;
        var s = Vector256.Create(sum);
        for (; i + 4 <= count; i += 4)
            Avx.ConvertToVector128Single(Avx.ConvertToVector256Double(Vector128.Load(values + i)) / s).Store(values + i);
        for (; i < count; i++) values[i] = (float)(values[i] / sum);
    }
}
