using P2P.Work;
using P2P.Work.Tests.Support;

namespace P2P.Work.Tests;

/// <summary>docs/work-function.md §6: the scalar reference reproduces the golden vectors (which work1.py also produces).</summary>
public class ReferenceGoldenVectorTests
{
    [Theory]
    [MemberData(nameof(GoldenVector.FastReferenceIndices), MemberType = typeof(GoldenVector))]
    public void Section6_ReferencePathReproducesGoldenVector(int index) => Check(GoldenVector.All[index]);

    [SlowFact]
    public void Section6_ReferencePathReproducesLargeGoldenVector() => Check(GoldenVector.All.Single(v => v.Profile == "large"));

    private static void Check(GoldenVector v)
    {
        var reference = new ReferenceWorkFunction(WorkWeights.For(v.WorkProfile, v.SeedBytes));
        var activations = reference.FinalActivations(v.ChallengeBytes, v.Nonce);
        Assert.Equal(v.ActivationsHashHex, Convert.ToHexStringLower(WorkHash.OfActivations(activations)));
        Assert.Equal(v.WorkHashHex, Convert.ToHexStringLower(WorkHash.Compute(v.ChallengeBytes, v.Nonce, activations)));
    }
}
