using P2P.Inference.Numerics;

namespace P2P.Inference.Tests.Support;

/// <summary>A fact skipped, with the reason shown, on CPUs without the AVX2 path of the deterministic math.</summary>
public sealed class VectorMathFactAttribute : FactAttribute
{
    public VectorMathFactAttribute()
    {
        if (!DeterministicVectorMath.IsSupported) Skip = "this CPU (or runtime setting) has no AVX2: the vector math path is not used";
    }
}
