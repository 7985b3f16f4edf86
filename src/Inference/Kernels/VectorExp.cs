using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace P2P.Inference.Kernels;

/// <summary>
/// Fast mode's eight-lane exp: e^x = 2^n · e^r with n = round(x · log2 e), r = x − n · ln 2 (in two parts) and a
/// degree-7 polynomial (Cephes' coefficients) for e^r on [−ln2/2, ln2/2], within 2 ulp of the exact value. Written here
/// rather than calling the runtime's <c>Vector256.Exp</c> because that is a generic framework method which a fresh
/// process runs unoptimised (every vector operation a call) for its first tokens; inlined here, it is optimised with
/// its caller.
/// </summary>
internal static class VectorExp
{
    /// <summary>Above this e^x is not a finite float once rounded through 2^n with n ≤ 127; the result is +∞.</summary>
    private const float Overflow = 88.3762626647949f;

    /// <summary>Below this e^x is under float's smallest normal; the result is 0.</summary>
    private const float Underflow = -87.3365447505531f;

    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        var clamped = Vector256.MinNative(Vector256.MaxNative(x, Vector256.Create(Underflow)), Vector256.Create(Overflow));
        var n = Vector256.Round(clamped * Vector256.Create(Log2E));
        var r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-Ln2High), clamped);
        r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-Ln2Low), r);

        var p = Vector256.Create(1.9875691500e-4f);
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(1.3981999507e-3f));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(8.3334519073e-3f));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(4.1665795894e-2f));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(1.6666665459e-1f));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(5.0000001201e-1f));
        p = Vector256.MultiplyAddEstimate(p * r, r, r) + Vector256.Create(1f);

        var scale = (Vector256.ConvertToInt32Native(n) + Vector256.Create(127)) << 23;
        var result = p * scale.AsSingle();
        result = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(Underflow)), Vector256<float>.Zero, result);
        result = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(Overflow)), Vector256.Create(float.PositiveInfinity), result);
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }
}
