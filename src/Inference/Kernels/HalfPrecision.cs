using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace P2P.Inference.Kernels;

/// <summary>
/// float32 ↔ IEEE binary16 for the <see cref="KvFormat.Float16"/> cache. Writing rounds to nearest even like
/// <c>(Half)x</c> and saturates magnitudes beyond the largest finite half (65504) to it. Reading happens inside the
/// attention kernels' loops, in registers: .NET exposes no F16C or AVX-512 FP16 conversion instruction, so a half is
/// widened by one sign-extending load, a shift and a mask per 8 or 16 values — the half's bits shifted into a
/// float32's exponent and mantissa fields give the value scaled by 2⁻¹¹², exactly for every finite half, denormals
/// included.
/// </summary>
internal static unsafe class HalfPrecision
{
    /// <summary>2¹¹²: rebiases a half exponent (bias 15) placed in a float32's exponent field (bias 127).</summary>
    public const float Rebias = 5.192296858534828e33f;

    /// <summary>Sign and the half's exponent and mantissa, once shifted 13 bits into float32 position.</summary>
    public const uint FieldMask = 0x8FFFE000;

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

    /// <summary>
    /// Writes count floats as halves with the bits of <c>(Half)x</c> (round to nearest, ties to even, denormals
    /// included) after clamping to ±65504, so that nothing becomes an infinity; NaN stays NaN. Eight at a time in
    /// integer arithmetic rather than through <c>TensorPrimitives.ConvertToHalf</c>, whose generic dispatch a fresh
    /// process runs unoptimised for its first tokens (this is called per head and layer on every token).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FromSingle(float* source, ushort* destination, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= count; i += 8)
            {
                var halves = FromSingle8(Vector256.Load((uint*)(source + i)));
                Vector128.Narrow(halves.GetLower(), halves.GetUpper()).Store(destination + i);
            }
        }
        for (; i < count; i++) destination[i] = FromSingle(source[i]);
    }

    /// <summary>
    /// Eight floats' bits to halves' bits (in the low 16 bits of each lane). Normal halves: the exponent rebiased by
    /// subtraction, then the 13 dropped bits rounded by adding 0xFFF plus the kept mantissa's lowest bit. Denormal
    /// halves: adding 0.5f lines the float's mantissa up with the half's 2⁻²⁴ steps, so the float adder rounds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> FromSingle8(Vector256<uint> bits)
    {
        var sign = bits & Vector256.Create(0x80000000u);
        var magnitude = bits ^ sign;
        var clamped = Vector256.Min(magnitude, Vector256.Create(MaxFiniteBits));
        var normal = (clamped - Vector256.Create(RebiasBits) + Vector256.Create(0xFFFu) + ((clamped >> 13) & Vector256.Create(1u))) >> 13;
        var denormal = (clamped.AsSingle() + Vector256.Create(0.5f)).AsUInt32() - Vector256.Create(HalfBits);
        var finite = Vector256.ConditionalSelect(Vector256.LessThan(clamped, Vector256.Create(SmallestNormalBits)), denormal, normal);
        var nan = Vector256.Create(0x7E00u) | ((magnitude >> 13) & Vector256.Create(0x3FFu));
        var halves = Vector256.ConditionalSelect(Vector256.GreaterThan(magnitude, Vector256.Create(InfinityBits)), nan, finite);
        return halves | (sign >> 16);
    }

    /// <summary>One float as a half, like <see cref="FromSingle(float*, ushort*, int)"/>.</summary>
    public static ushort FromSingle(float value) =>
        BitConverter.HalfToUInt16Bits((Half)(float.IsNaN(value) ? value : Math.Clamp(value, -MaxFiniteValue, MaxFiniteValue)));

    private const float MaxFiniteValue = 65504f;

    /// <summary>65504f's bits.</summary>
    private const uint MaxFiniteBits = 0x477FE000;

    /// <summary>(127 − 15) in a float32's exponent field.</summary>
    private const uint RebiasBits = 0x38000000;

    /// <summary>2⁻¹⁴'s bits: the smallest normal half.</summary>
    private const uint SmallestNormalBits = 0x38800000;

    /// <summary>0.5f's bits.</summary>
    private const uint HalfBits = 0x3F000000;

    private const uint InfinityBits = 0x7F800000;
}
