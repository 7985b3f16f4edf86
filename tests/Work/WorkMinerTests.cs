using Microsoft.Extensions.Time.Testing;
using P2P.Work;

namespace P2P.Work.Tests;

/// <summary>docs/work-function.md §4: the multi-threaded miner finds the smallest qualifying nonce, stops, and reports by an injected clock.</summary>
public class WorkMinerTests
{
    private static readonly byte[] Seed = Convert.FromHexString(GoldenVector.Seed);
    private static readonly byte[] Challenge = Convert.FromHexString(GoldenVector.Challenge);

    [Fact]
    public void Section4_MinerFindsTheSmallestQualifyingNonce_ForAnyThreadCountAndBatchSize()
    {
        var weights = WorkWeights.For(WorkProfile.Devnet, Seed);
        var target = WorkHash.TargetWithLeadingZeroBits(7);
        const ulong start = 1_000_000;

        // Sequential scan with the scalar reference: the expected answer.
        var reference = new ReferenceWorkFunction(weights);
        ulong expected = start;
        while (!WorkHash.MeetsTarget(reference.Hash(Challenge, expected), target)) expected++;

        foreach (var (threads, batch) in new[] { (1, 1), (2, 5), (3, 7), (2, 48) })
        {
            var miner = new WorkMiner(weights, new WorkMinerOptions { Threads = threads, BatchSize = batch });
            var result = miner.Mine(Challenge, target, start, CancellationToken.None);
            Assert.True(result.Found);
            Assert.Equal(expected, result.Nonce);
            Assert.Equal(reference.Hash(Challenge, expected), result.WorkHash);
            Assert.True(result.NoncesTried >= (long)(expected - start + 1));
        }
    }

    [Fact]
    public void Section4_AReusedMinerStaysExactAcrossChallenges()
    {
        var weights = WorkWeights.For(WorkProfile.Devnet, Seed);
        var reference = new ReferenceWorkFunction(weights);
        var target = WorkHash.TargetWithLeadingZeroBits(5);
        var miner = new WorkMiner(weights, new WorkMinerOptions { Threads = 2, BatchSize = 3 });
        for (byte round = 0; round < 3; round++)
        {
            var challenge = (byte[])Challenge.Clone();
            challenge[0] = round;
            ulong expected = 500;
            while (!WorkHash.MeetsTarget(reference.Hash(challenge, expected), target)) expected++;
            var result = miner.Mine(challenge, target, 500, CancellationToken.None);
            Assert.Equal(expected, result.Nonce);
            Assert.Equal(reference.Hash(challenge, expected), result.WorkHash);
        }
    }

    [Fact]
    public void Section4_MinerStopsAfterMaxNoncesWhenTheTargetIsNeverMet()
    {
        var miner = new WorkMiner(WorkWeights.For(WorkProfile.Devnet, Seed), new WorkMinerOptions { Threads = 2, BatchSize = 8 });
        var result = miner.Mine(Challenge, new byte[32], 0, CancellationToken.None, maxNonces: 100);
        Assert.False(result.Found);
        Assert.Equal(100, result.NoncesTried);
        Assert.False(result.Cancelled);
    }

    [Fact]
    public void Section4_NonceRangeEndsAtTheLargestU64()
    {
        var miner = new WorkMiner(WorkWeights.For(WorkProfile.Devnet, Seed), new WorkMinerOptions { Threads = 2, BatchSize = 2 });
        var result = miner.Mine(Challenge, new byte[32], ulong.MaxValue - 2, CancellationToken.None, maxNonces: 10);
        Assert.Equal(3, result.NoncesTried);
    }

    [Fact]
    public async Task Section4_CancellationEndsMiningPromptly()
    {
        var miner = new WorkMiner(WorkWeights.For(WorkProfile.Devnet, Seed), new WorkMinerOptions { Threads = 2, BatchSize = 4 });
        using var cts = new CancellationTokenSource();
        var mining = miner.MineAsync(Challenge, new byte[32], 0, cts.Token);
        cts.Cancel();
        var result = await mining.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(result.Cancelled);
        Assert.False(result.Found);

        var already = miner.Mine(Challenge, new byte[32], 0, cts.Token);
        Assert.Equal(0, already.NoncesTried);
    }

    [Fact]
    public void Section4_ElapsedTimeComesFromTheInjectedClock()
    {
        var clock = new FakeTimeProvider { AutoAdvanceAmount = TimeSpan.FromSeconds(3) };
        var miner = new WorkMiner(WorkWeights.For(WorkProfile.Devnet, Seed), new WorkMinerOptions { Threads = 1, BatchSize = 2, Time = clock });
        var result = miner.Mine(Challenge, new byte[32], 0, CancellationToken.None, maxNonces: 4);
        Assert.Equal(TimeSpan.FromSeconds(3), result.Elapsed);
    }

    [Fact]
    public void Section4_InvalidArgumentsAreRejected()
    {
        var weights = WorkWeights.For(WorkProfile.Devnet, Seed);
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkMiner(weights, new WorkMinerOptions { Threads = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkMiner(weights, new WorkMinerOptions { BatchSize = 0 }));
        var miner = new WorkMiner(weights);
        Assert.Throws<ArgumentException>(() => miner.Mine(new byte[31], new byte[32], 0, CancellationToken.None));
        Assert.Throws<ArgumentException>(() => miner.Mine(Challenge, new byte[33], 0, CancellationToken.None));
    }
}
