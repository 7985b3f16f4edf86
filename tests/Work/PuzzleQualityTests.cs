using P2P.Work;
using Xunit.Abstractions;

namespace P2P.Work.Tests;

/// <summary>
/// docs/work-function.md §7: outputs depend on the input and carry entropy, so a miner cannot skip the transformer
/// and grind SHA-256 alone; activations neither vanish nor saturate.
/// </summary>
public class PuzzleQualityTests(StandardProfileSample sample, ITestOutputHelper output) : IClassFixture<StandardProfileSample>
{
    [Fact]
    public void Section7_FinalActivationsOfEveryNonceAreDistinct()
    {
        Assert.Equal(sample.Count, sample.ActivationHashes.Select(Convert.ToHexString).Distinct().Count());
        Assert.Equal(sample.Count, sample.LastRowHashes.Select(Convert.ToHexString).Distinct().Count());
    }

    [Fact]
    public void Section7_FewActivationsSaturateAndFewAreZero()
    {
        double saturated = (double)sample.Saturated / sample.Values, zeros = (double)sample.Zeros / sample.Values;
        output.WriteLine($"{sample.Count} nonces: saturated {saturated:P3}, zero {zeros:P3}");
        Assert.True(saturated < 0.02, $"saturated fraction {saturated:P3}");
        Assert.True(zeros < 0.10, $"zero fraction {zeros:P3}");
    }

    [Fact]
    public void Section7_WorkHashBitsAreUniform()
    {
        int n = sample.Count;
        double sigma = Math.Sqrt(n * 0.25);
        for (int bit = 0; bit < 256; bit++)
        {
            int ones = 0;
            for (int i = 0; i < n; i++)
                ones += (sample.WorkHashes[i * 32 + bit / 8] >> (7 - bit % 8)) & 1;
            Assert.True(Math.Abs(ones - n / 2.0) < 5 * sigma, $"bit {bit}: {ones} ones in {n}");
        }
        // χ² of the first byte over its 256 values: 255 degrees of freedom, mean 255, standard deviation ≈ 22.6.
        var bins = new int[256];
        for (int i = 0; i < n; i++) bins[sample.WorkHashes[i * 32]]++;
        double expected = n / 256.0, chi2 = bins.Sum(b => (b - expected) * (b - expected) / expected);
        output.WriteLine($"first-byte χ² = {chi2:F1} (255 dof)");
        Assert.True(chi2 < 255 + 5 * 22.6, $"χ² {chi2:F1}");
    }

    [Fact]
    public void Section7_ChangingOneTokenChangesMostFinalActivations()
    {
        var p = sample.Weights.Profile;
        int t = p.Tokens, d = p.ModelDim, batch = 6, rounds = 10;
        var evaluator = new BatchedWorkEvaluator(sample.Weights, batch);
        var random = new Random(7);
        var original = new byte[batch * t];
        var modified = new byte[batch * t];
        var before = new sbyte[batch * t * d];
        var after = new sbyte[batch * t * d];
        double changedTotal = 0, changedAffected = 0;
        for (int round = 0; round < rounds; round++)
        {
            var positions = new int[batch];
            for (int b = 0; b < batch; b++)
            {
                WorkPrf.Tokens(sample.Challenge, (ulong)(round * batch + b), original.AsSpan(b * t, t));
                original.AsSpan(b * t, t).CopyTo(modified.AsSpan(b * t, t));
                positions[b] = random.Next(t);
                modified[b * t + positions[b]] ^= (byte)random.Next(1, 256);
            }
            evaluator.FinalActivationsOfTokens(original, before);
            evaluator.FinalActivationsOfTokens(modified, after);
            for (int b = 0; b < batch; b++)
            {
                int changed = 0, changedAtOrAfter = 0;
                for (int i = 0; i < t * d; i++)
                {
                    if (before[b * t * d + i] == after[b * t * d + i]) continue;
                    changed++;
                    Assert.True(i / d >= positions[b], "causal attention: positions before the changed token cannot change");
                    changedAtOrAfter++;
                }
                changedTotal += (double)changed / (t * d);
                changedAffected += (double)changedAtOrAfter / ((t - positions[b]) * d);
            }
        }
        double meanChanged = changedTotal / (rounds * batch), meanAffected = changedAffected / (rounds * batch);
        output.WriteLine($"one changed token: {meanChanged:P1} of all final activations change, {meanAffected:P1} of those at or after it");
        Assert.True(meanChanged > 0.40, $"only {meanChanged:P1} changed");
        Assert.True(meanAffected > 0.85, $"only {meanAffected:P1} of the reachable activations changed");
    }
}
