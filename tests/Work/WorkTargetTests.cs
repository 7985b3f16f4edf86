using P2P.Work;

namespace P2P.Work.Tests;

/// <summary>docs/work-function.md §4: the target comparison is big-endian and a k-leading-zero target is met 1 time in 2^k.</summary>
public class WorkTargetTests
{
    [Fact]
    public void Section4_TargetComparisonIsBigEndianAndInclusive()
    {
        var target = new byte[32];
        target[0] = 0x10;
        var hash = new byte[32];
        hash[0] = 0x10;
        Assert.True(WorkHash.MeetsTarget(hash, target));
        hash[31] = 1;
        Assert.False(WorkHash.MeetsTarget(hash, target));
        hash[0] = 0x0F;
        hash[31] = 0xFF;
        Assert.True(WorkHash.MeetsTarget(hash, target));
        Assert.Equal(Convert.FromHexString("1F" + new string('F', 62)), WorkHash.TargetWithLeadingZeroBits(3));
        Assert.Equal(Convert.FromHexString("0000" + new string('F', 60)), WorkHash.TargetWithLeadingZeroBits(16));
    }

    [Fact]
    public void Section4_TargetWithKLeadingZeroBitsIsMetByAboutOneNonceIn2PowK()
    {
        const int nonces = 16_384;
        var weights = WorkWeights.For(WorkProfile.Devnet, Convert.FromHexString(GoldenVector.Seed));
        var challenge = Convert.FromHexString(GoldenVector.Challenge);
        var hashes = HashRange(weights, challenge, nonces);
        for (int k = 1; k <= 8; k++)
        {
            var target = WorkHash.TargetWithLeadingZeroBits(k);
            int met = 0;
            for (int i = 0; i < nonces; i++)
                if (WorkHash.MeetsTarget(hashes.AsSpan(i * 32, 32), target)) met++;
            double p = Math.Pow(2, -k), mean = nonces * p, sigma = Math.Sqrt(nonces * p * (1 - p));
            Assert.True(Math.Abs(met - mean) < 5 * sigma, $"k={k}: {met} of {nonces} met, expected {mean:F0} ± {5 * sigma:F0}");
        }
    }

    internal static byte[] HashRange(WorkWeights weights, byte[] challenge, int count)
    {
        const int batch = 64;
        var hashes = new byte[count * 32];
        int chunks = (count + batch - 1) / batch;
        Parallel.For(0, 2, worker =>
        {
            var evaluator = new BatchedWorkEvaluator(weights, batch);
            for (int chunk = worker; chunk < chunks; chunk += 2)
            {
                int first = chunk * batch, n = Math.Min(batch, count - first);
                var nonces = Enumerable.Range(first, n).Select(i => (ulong)i).ToArray();
                evaluator.Hashes(challenge, nonces, hashes.AsSpan(first * 32, n * 32));
            }
        });
        return hashes;
    }
}
