using System.Runtime.CompilerServices;
namespace P2P.Inference.Numerics;

/// <summary>
/// Managed exp, log, sin, cos and pow built only from IEEE-754 basic operations (+, −, ×, ÷, round),
/// so they return the same bits on every OS, CPU and runtime — unlike the platform libm.
/// </summary>
/// <remarks>
/// Each function is a fixed sequence of correctly rounded double operations: Cody–Waite range reduction
/// with split constants, then a Horner polynomial evaluated without fused multiply-add. The results are
/// accurate to about one double ulp, far below float precision; what matters is that they are reproducible.
/// </remarks>
public static class DeterministicMath
{
    private const double InvLn2 = 1.44269504088896338700e+00;
    // ln 2 split so that k * Ln2Hi is exact for |k| < 2^20 (fdlibm constants).
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double TwoOverPi = 6.36619772367581382433e-01;
    // π/2 split in three parts, each product n * part exact for |n| < 2^20 (fdlibm constants).
    private const double PiO2Part1 = 1.57079632673412561417e+00;
    private const double PiO2Part2 = 6.07710050630396597660e-11;
    private const double PiO2Part3 = 2.02226624871116645580e-21;
    private const double Sqrt2 = 1.41421356237309504880;

    // 1/n! for n = 0..14, each a correctly rounded double literal.
    internal static readonly double[] InverseFactorials =
    [
        1.0, 1.0, 0.5, 1.6666666666666666e-01, 4.1666666666666664e-02, 8.3333333333333332e-03,
        1.3888888888888889e-03, 1.9841269841269841e-04, 2.4801587301587302e-05, 2.7557319223985893e-06,
        2.7557319223985888e-07, 2.5052108385441720e-08, 2.0876756987868100e-09, 1.6059043836821613e-10,
        1.1470745597729725e-11, 7.6471637318198164e-13, 4.7794773323873853e-14, 2.8114572543455206e-15,
        1.5619206968586225e-16, 8.2206352466243295e-18, 4.1103176233121648e-19,
    ];

    /// <summary>e^x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Exp(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x > 709.782712893384) return double.PositiveInfinity;
        if (x < -745.1332191019412) return 0.0;
        double k = Math.Round(x * InvLn2, MidpointRounding.ToEven);
        double r = (x - k * Ln2Hi) - k * Ln2Lo;
        // |r| <= 0.347: Taylor series to r^13 leaves a truncation error below 1e-17.
        // Horner from 1/13! down to 1/0!, written out (the same operations as a loop over InverseFactorials).
        double p = 1.6059043836821613e-10;
        p = p * r + 2.0876756987868100e-09;
        p = p * r + 2.5052108385441720e-08;
        p = p * r + 2.7557319223985888e-07;
        p = p * r + 2.7557319223985893e-06;
        p = p * r + 2.4801587301587302e-05;
        p = p * r + 1.9841269841269841e-04;
        p = p * r + 1.3888888888888889e-03;
        p = p * r + 8.3333333333333332e-03;
        p = p * r + 4.1666666666666664e-02;
        p = p * r + 1.6666666666666666e-01;
        p = p * r + 0.5;
        p = p * r + 1.0;
        p = p * r + 1.0;
        return ScaleByPowerOfTwo(p, (int)k);
    }

    /// <summary>e^x rounded to float (via the double result).</summary>
    public static float Exp(float x) => (float)Exp((double)x);

    /// <summary>Natural logarithm.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Log(double x)
    {
        if (double.IsNaN(x) || x < 0) return double.NaN;
        if (x == 0) return double.NegativeInfinity;
        if (double.IsPositiveInfinity(x)) return x;
        int exponentBias = 0;
        if (x < 2.2250738585072014e-308) { x *= 18014398509481984.0; exponentBias = -54; } // subnormal: scale by 2^54
        long bits = BitConverter.DoubleToInt64Bits(x);
        int e = (int)((bits >> 52) & 0x7FF) - 1023 + exponentBias;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
        if (m > Sqrt2) { m *= 0.5; e++; }
        double f = m - 1.0;
        double s = f / (2.0 + f);
        double z = s * s;
        // log(1+f) = 2 atanh(s) = 2s (1 + z/3 + z^2/5 + ...), |s| <= 0.1716.
        double series = 1.0 / 23.0;
        for (int n = 21; n >= 1; n -= 2) series = series * z + 1.0 / n;
        double ke = e;
        return ke * Ln2Hi + (ke * Ln2Lo + 2.0 * s * series);
    }

    /// <summary>x^y for x &gt; 0, as exp(y · log x).</summary>
    public static double Pow(double x, double y)
    {
        if (y == 0) return 1.0;
        if (x == 1) return 1.0;
        if (x <= 0) throw new ArgumentOutOfRangeException(nameof(x), "DeterministicMath.Pow supports positive bases only");
        return Exp(y * Log(x));
    }

    /// <summary>Sine.</summary>
    public static double Sin(double x) => SinCos(x, cosine: false);

    /// <summary>Cosine.</summary>
    public static double Cos(double x) => SinCos(x, cosine: true);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SinCos(double x, bool cosine)
    {
        if (double.IsNaN(x) || double.IsInfinity(x)) return double.NaN;
        if (Math.Abs(x) > 1e9) throw new ArgumentOutOfRangeException(nameof(x), "argument too large for deterministic range reduction");
        double n = Math.Round(x * TwoOverPi, MidpointRounding.ToEven);
        double r = ((x - n * PiO2Part1) - n * PiO2Part2) - n * PiO2Part3;
        int quadrant = (int)((long)n & 3);
        if (cosine) quadrant = (quadrant + 1) & 3;
        // sin(x) by quadrant: sin r, cos r, -sin r, -cos r; cos(x) = sin(x + π/2).
        return quadrant switch
        {
            0 => SinPoly(r),
            1 => CosPoly(r),
            2 => -SinPoly(r),
            _ => -CosPoly(r),
        };
    }

    // |r| <= π/4: Taylor series through r^19 (sin) and r^20 (cos); truncation below 1e-19.
    private static double SinPoly(double r)
    {
        double z = r * r;
        double p = -InverseFactorials[19];
        for (int n = 17; n >= 3; n -= 2) p = p * z + ((n / 2) % 2 == 0 ? InverseFactorials[n] : -InverseFactorials[n]);
        return r + r * z * p;
    }

    private static double CosPoly(double r)
    {
        double z = r * r;
        double p = InverseFactorials[20];
        for (int n = 18; n >= 2; n -= 2) p = p * z + ((n / 2) % 2 == 0 ? InverseFactorials[n] : -InverseFactorials[n]);
        return 1.0 + z * p;
    }

    private static double ScaleByPowerOfTwo(double value, int k)
    {
        if (k > 1023) { value *= 8.98846567431158e307; k -= 1023; if (k > 1023) return double.PositiveInfinity; }
        if (k < -1022)
        {
            value *= 2.2250738585072014e-308; // 2^-1022
            k += 1022;
            if (k < -1022) return 0.0;
        }
        return value * BitConverter.Int64BitsToDouble((long)(k + 1023) << 52);
    }
}
