using System.Numerics;
using P2P.Consensus.Accountability;
using P2P.Testing;

namespace P2P.Consensus.Tests.Accountability;

/// <summary>The lottery's vectors, its rate and its weights (docs/consensus.md §4.8).</summary>
public sealed class ValidationLotteryTests
{
    private const int Receipts = 10_000;
    /// <summary>Every frequency must be within this many binomial standard deviations of its expectation (a false alarm ≈ 6 in 100 000 per check).</summary>
    private const double Bound = 4;

    [Fact]
    public void Vectors_MatchTheFile()
    {
        var path = Path.Combine(RepositoryPaths.Root ?? "", "tests", "Consensus", "Accountability", "lottery-vectors.txt");
        Assert.True(File.Exists(path), $"missing {path}");
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var computed = LotteryVectors.Compute().Select(r => r.FileLine).ToList();
        Assert.True(computed.SequenceEqual(lines), "lottery-vectors.txt should read:\n" + string.Join("\n", computed));
    }

    [Fact]
    public void DrawnFrequency_MatchesTheRate()
    {
        const uint rate = 50_000;
        var random = new Random(15);
        int drawn = 0;
        for (int i = 0; i < Receipts; i++)
        {
            var seed = ValidationLottery.Seed(RandomBytes(random), RandomBytes(random), RandomBytes(random));
            if (ValidationLottery.IsDrawn(true, 1_000_000, seed, fullValidationReceipts: 0, rate)) drawn++;
        }
        AssertWithinBound(drawn, Receipts, rate / 1e6);
    }

    [Fact]
    public void FirstValidatorFrequency_MatchesTheWeights()
    {
        var candidates = LotteryVectors.Candidates;
        var total = candidates.Aggregate(BigInteger.Zero, (sum, c) => sum + c.Weight);
        var counts = new int[candidates.Count];
        var random = new Random(16);
        for (int i = 0; i < Receipts; i++)
        {
            var drawn = ValidationLottery.DrawValidators(RandomBytes(random), candidates, 3);
            Assert.Equal(3, drawn.Select(Convert.ToHexString).Distinct().Count());
            counts[candidates.ToList().FindIndex(c => c.Node.AsSpan().SequenceEqual(drawn[0]))]++;
        }
        for (int i = 0; i < candidates.Count; i++) AssertWithinBound(counts[i], Receipts, (double)candidates[i].Weight / (double)total);
    }

    [Fact]
    public void FirstReceiptsOfAnEpoch_AreAllDrawn_FastModeNever()
    {
        var seed = new byte[32];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(seed, 999_999);   // drawn by a rate of 100 % only
        Assert.Equal(999_999u, ValidationLottery.RateDraw(seed));
        Assert.True(ValidationLottery.IsDrawn(true, 999, seed, 1000, 0));
        Assert.False(ValidationLottery.IsDrawn(true, 1000, seed, 1000, 999_999));
        Assert.True(ValidationLottery.IsDrawn(true, 1000, seed, 1000, 1_000_000));
        Assert.False(ValidationLottery.IsDrawn(false, 0, seed, 1000, 1_000_000));
    }

    [Fact]
    public void DrawValidators_TakesEveryoneWhenThereAreFewCandidates_InADeterministicOrder()
    {
        var seed = new byte[32];
        var two = LotteryVectors.Candidates.Take(2).ToList();
        var drawn = ValidationLottery.DrawValidators(seed, two, 3);
        Assert.Equal(2, drawn.Count);
        Assert.Equal(drawn, ValidationLottery.DrawValidators(seed, two.AsEnumerable().Reverse(), 3));
        Assert.Empty(ValidationLottery.DrawValidators(seed, [], 3));
    }

    private static void AssertWithinBound(int observed, int trials, double p)
    {
        double expected = trials * p, sd = Math.Sqrt(trials * p * (1 - p));
        Assert.True(Math.Abs(observed - expected) <= Bound * sd, $"observed {observed}, expected {expected:F1} ± {Bound} × {sd:F1}");
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return bytes;
    }
}
