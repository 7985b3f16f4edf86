using P2P.Inference.Work;

namespace P2P.Inference.Tests.Work;

/// <summary>docs/work-function.md §6: the scalar reference reproduces the golden vectors (which work1.py also produces).</summary>
public class ReferenceGoldenVectorTests
{
    [Theory]
    [MemberData(nameof(GoldenVector.Indices), MemberType = typeof(GoldenVector))]
    public void Section6_ReferencePathReproducesGoldenVector(int index)
    {
        var v = GoldenVector.All[index];
        var reference = new ReferenceWorkFunction(WorkWeights.For(v.WorkProfile, v.SeedBytes));
        var activations = reference.FinalActivations(v.ChallengeBytes, v.Nonce);
        Assert.Equal(v.ActivationsHashHex, Convert.ToHexStringLower(WorkHash.OfActivations(activations)));
        Assert.Equal(v.WorkHashHex, Convert.ToHexStringLower(WorkHash.Compute(v.ChallengeBytes, v.Nonce, activations)));
    }
}
