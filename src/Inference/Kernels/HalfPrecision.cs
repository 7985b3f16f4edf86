using System.Numerics.Tensors;
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
    /// Writes count floats as halves: rounded to nearest even by <see cref="TensorPrimitives.ConvertToHalf"/> (vectorised,
    /// the bits of <c>(Half)x</c>), after clamping to ±65504 so that nothing becomes an infinity; NaN stays NaN.
    /// </summary>
    public static void FromSingle(float* source, ushort* destination, int count)
    {
        Span<float> clamped = stackalloc float[Math.Min(count, ClampChunk)];
        for (int done = 0; done < count; done += clamped.Length)
        {
            int n = Math.Min(clamped.Length, count - done);
            TensorPrimitives.Clamp(new ReadOnlySpan<float>(source + done, n), -MaxFiniteValue, MaxFiniteValue, clamped[..n]);
            TensorPrimitives.ConvertToHalf(clamped[..n], new Span<Half>(destination + done, n));
        }
    }

    /// <summary>One float as a half, like <see cref="FromSingle(float*, ushort*, int)"/>.</summary>
    public static ushort FromSingle(float value) =>
        BitConverter.HalfToUInt16Bits((Half)(float.IsNaN(value) ? value : Math.Clamp(value, -MaxFiniteValue, MaxFiniteValue)));

    /// <summary>Floats clamped per step, in scratch on the stack (a head's row of keys or values is one step).</summary>
    private const int ClampChunk = 256;

    private const float MaxFiniteValue = 65504f;
}
