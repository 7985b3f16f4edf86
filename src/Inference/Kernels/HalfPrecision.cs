using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace P2P.Inference.Kernels;

/// <summary>
/// float32 ↔ IEEE binary16 for the <see cref="KvFormat.Float16"/> cache, in integer vector operations: .NET exposes no
/// F16C or AVX-512 FP16 conversion instruction. Writing rounds to nearest even like <c>(Half)x</c> and saturates
/// magnitudes beyond the largest finite half (65504) to it; reading is exact for every finite half. Reading is one
/// sign-extending load, a shift, a mask and a multiply per 8 or 16 values: the half's bits shifted into a float32's
/// exponent and mantissa fields give the value scaled by 2⁻¹¹², denormal halves included.
/// </summary>
internal static unsafe class HalfPrecision
{
    /// <summary>2¹¹²: rebiases a half exponent (bias 15) placed in a float32's exponent field (bias 127).</summary>
    public const float Rebias = 5.192296858534828e33f;

    /// <summary>Sign and the half's exponent and mantissa, once shifted 13 bits into float32 position.</summary>
    public const uint FieldMask = 0x8FFFE000;

    public const ushort MaxFinite = 0x7BFF;

    public static readonly bool Use512 = Avx512F.IsSupported && Avx512BW.IsSupported;
    public static readonly bool Use256 = Avx2.IsSupported && Fma.IsSupported;

    /// <summary>Which instruction path reads halves ("avx512", "avx2" or "scalar"), for diagnostics and tests.</summary>
    public static string Path => Use512 ? "avx512" : Use256 ? "avx2" : "scalar";

    /// <summary>16 halves as floats scaled by 2⁻¹¹² (exact; multiply by <see cref="Rebias"/> for the values).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadScaled16(ushort* source)
    {
        var widened = Avx512F.ConvertToVector512Int32(Vector256.Load((short*)source)).AsUInt32();
        return ((widened << 13) & Vector512.Create(FieldMask)).AsSingle();
    }

    /// <summary>8 halves as floats scaled by 2⁻¹¹².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadScaled8(ushort* source)
    {
        var widened = Avx2.ConvertToVector256Int32((short*)source).AsUInt32();
        return ((widened << 13) & Vector256.Create(FieldMask)).AsSingle();
    }

    /// <summary>One half's value (finite halves exactly).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToSingle(ushort half) => (float)BitConverter.UInt16BitsToHalf(half);

    /// <summary>Reads count halves into floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToSingle(ushort* source, float* destination, int count)
    {
        int i = 0;
        if (Use512)
        {
            var rebias = Vector512.Create(Rebias);
            for (; i + 16 <= count; i += 16) (LoadScaled16(source + i) * rebias).Store(destination + i);
        }
        if (Use256)
        {
            var rebias = Vector256.Create(Rebias);
            for (; i + 8 <= count; i += 8) (LoadScaled8(source + i) * rebias).Store(destination + i);
        }
        for (; i < count; i++) destination[i] = ToSingle(source[i]);
    }

    /// <summary>One float as a half, rounded to nearest even, saturated to ±65504 (NaN stays NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort FromSingle(float value)
    {
        ushort bits = BitConverter.HalfToUInt16Bits((Half)value);
        return (bits & 0x7FFF) == 0x7C00 ? (ushort)((bits & 0x8000) | MaxFinite) : bits;
    }

    /// <summary>Writes count floats as halves (see <see cref="FromSingle(float)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FromSingle(float* source, ushort* destination, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= count; i += 8)
                Vector128.Store(FromSingle8(Vector256.Load(source + i).AsUInt32()), destination + i);
        }
        for (; i < count; i++) destination[i] = FromSingle(source[i]);
    }

    /// <summary>
    /// Eight floats (as bits) to halves: normal halves by rebiasing the exponent and rounding the mantissa to nearest
    /// even with integer adds; denormal halves by an add that lets the FPU round; then saturation and NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ushort> FromSingle8(Vector256<uint> bits)
    {
        var sign = bits & Vector256.Create(0x80000000u);
        var magnitude = bits ^ sign;
        // Normal range: drop 13 mantissa bits, rounding to nearest even, and rebias 127 → 15.
        var odd = (magnitude >> 13) & Vector256<uint>.One;
        var normal = (magnitude + Vector256.Create(0xC8000FFFu) + odd) >> 13;
        // Below 2⁻¹⁴: adding 0.5 aligns the value's half-denormal bits at the bottom of the mantissa, rounded by the FPU.
        var denormalMagic = Vector256.Create(0x3F000000u);
        var denormal = (magnitude.AsSingle() + denormalMagic.AsSingle()).AsUInt32() - denormalMagic;
        var result = Vector256.ConditionalSelect(Vector256.LessThan(magnitude, Vector256.Create(0x38800000u)), denormal, normal);
        // 65520 and above round past the largest finite half: saturate. NaN (above the float infinity) stays NaN.
        result = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(magnitude, Vector256.Create(0x477FF000u)), Vector256.Create((uint)MaxFinite), result);
        result = Vector256.ConditionalSelect(Vector256.GreaterThan(magnitude, Vector256.Create(0x7F800000u)), Vector256.Create(0x7E00u), result);
        result |= sign >> 16;
        return Vector128.Narrow(result.GetLower(), result.GetUpper());
    }
}
