using P2P.Work;
using P2P.Work.Kernels;

namespace P2P.Work.Tests;

/// <summary>docs/work-function.md §5–§6: every kernel of this CPU, alone and batched, reproduces the golden vectors.</summary>
public class BatchedGoldenVectorTests
{
    public static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        for (int i = 0; i < GoldenVector.All.Count; i++)
            foreach (var kernel in Int8GemmKernel.Supported)
                // Beyond devnet the scalar kernel costs seconds per nonce: ChildProcessGoldenVectorTests runs it (no SIMD at all).
                if (kernel != Int8GemmKernel.Scalar || GoldenVector.All[i].Profile == "devnet")
                    data.Add(i, kernel.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Section6_EveryKernelReproducesGoldenVector_AloneAndInsideABatch(int index, string kernelName)
    {
        var v = GoldenVector.All[index];
        var weights = WorkWeights.For(v.WorkProfile, v.SeedBytes);
        var kernel = Int8GemmKernel.FromName(kernelName)!;

        var single = new byte[32];
        new BatchedWorkEvaluator(weights, 1, kernel).Hashes(v.ChallengeBytes, [v.Nonce], single);
        Assert.Equal(v.WorkHashHex, Convert.ToHexStringLower(single));

        // The golden nonce sits inside a batch (of five on devnet, two elsewhere): other nonces' rows must not leak into it.
        ulong[] nonces = v.Profile == "devnet" ? [v.Nonce + 1, v.Nonce ^ 0xFFFF, v.Nonce, 7, v.Nonce - 1] : [v.Nonce ^ 0xFFFF, v.Nonce];
        int at = Array.IndexOf(nonces, v.Nonce);
        var evaluator = new BatchedWorkEvaluator(weights, nonces.Length, kernel);
        var activations = new sbyte[nonces.Length * v.WorkProfile.ActivationBytes];
        evaluator.FinalActivations(v.ChallengeBytes, nonces, activations);
        var golden = activations.AsSpan(at * v.WorkProfile.ActivationBytes, v.WorkProfile.ActivationBytes);
        Assert.Equal(v.ActivationsHashHex, Convert.ToHexStringLower(WorkHash.OfActivations(golden)));
    }

    [Fact]
    public void Section5_BatchedEvaluatorMatchesReferenceOnManyDevnetNonces()
    {
        var seed = Convert.FromHexString(GoldenVector.Seed);
        var weights = WorkWeights.For(WorkProfile.Devnet, seed);
        var reference = new ReferenceWorkFunction(weights);
        var random = new Random(6);
        foreach (var kernel in Int8GemmKernel.Supported)
        {
            var evaluator = new BatchedWorkEvaluator(weights, 7, kernel);
            for (int round = 0; round < 4; round++)
            {
                var challenge = new byte[32];
                random.NextBytes(challenge);
                var nonces = Enumerable.Range(0, 7).Select(_ => (ulong)random.NextInt64()).ToArray();
                var hashes = new byte[nonces.Length * 32];
                evaluator.Hashes(challenge, nonces, hashes);
                for (int i = 0; i < nonces.Length; i++)
                    Assert.Equal(reference.Hash(challenge, nonces[i]), hashes.AsSpan(i * 32, 32).ToArray());
            }
        }
    }

    [Fact]
    public void Section5_WorkFunctionVerifyAcceptsExactlyTheTargetsAtOrAboveTheHash()
    {
        var v = GoldenVector.All[0];
        var hash = Convert.FromHexString(v.WorkHashHex);
        Assert.True(WorkFunction.Verify(v.WorkProfile, v.SeedBytes, v.ChallengeBytes, v.Nonce, hash));
        var below = (byte[])hash.Clone();
        int last = Array.FindLastIndex(below, b => b != 0);
        below[last]--;
        Assert.False(WorkFunction.Verify(v.WorkProfile, v.SeedBytes, v.ChallengeBytes, v.Nonce, below));
    }
}
