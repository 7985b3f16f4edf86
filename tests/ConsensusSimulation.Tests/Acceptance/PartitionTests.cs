using P2P.Consensus.Simulation.Chain;
using Xunit.Abstractions;

namespace P2P.Consensus.Simulation.Tests.Acceptance;

/// <summary>
/// Acceptance 3: ten nodes split 6/4 (81 % / 19 % of the hash rate) while the majority mines 50 blocks, then healed.
/// The minority reorganises onto the heavier chain, and every node's balances, epoch weights, rewards and state digest
/// equal those of a fresh node given only the winning chain; nodes pay each other by transfers throughout, so the
/// fork's transfers and fees are undone too. Once with the partition inside one epoch (E = 64, split
/// at height 4), once straddling epoch boundaries (E = 24, split at height 21: both sides cross height 24).
/// </summary>
public sealed class PartitionTests(ITestOutputHelper output)
{
    private static readonly int[] Minority = [0, 1, 2, 3];
    private static readonly int[] Majority = [4, 5, 6, 7, 8, 9];
    private const int MajorityBlocks = 50;

    [Theory]
    [InlineData(64, 4, 11)]
    [InlineData(24, 21, 12)]
    public void Minority_ReorganisesOntoTheHeavierChain_AndMatchesANodeThatNeverSawItsFork(int epochLength, int splitHeight, int seed)
    {
        var genesis = SimulationGenesis.Create(epochLength, shareShift: 4);
        using var fixture = new SimulationFixture(SimulationFixture.Settings10(seed, genesis));
        var simulation = fixture.Simulation;
        double budget = 400.0 * genesis.TargetBlockSeconds;

        simulation.StartTransfers();
        simulation.StartMining();
        simulation.RunUntil(() => simulation.MinHeight >= (ulong)splitHeight && simulation.HeadsAgree(), budget);
        ulong forkHeight = simulation.Nodes[0].Chain.Head.Height;
        simulation.Network.Partition(Majority, Minority);
        simulation.RunUntil(() => Majority.Min(i => simulation.Nodes[i].Chain.Head.Height) >= forkHeight + MajorityBlocks, budget);

        var minorityHeights = Minority.ToDictionary(i => i, i => simulation.Nodes[i].Chain.Head.Height);
        ulong majorityHeight = Majority.Max(i => simulation.Nodes[i].Chain.Head.Height);
        output.WriteLine($"split at {forkHeight}; at heal the majority is at {majorityHeight}, the minority at {string.Join(", ", minorityHeights.Values)}");
        Assert.All(minorityHeights.Values, h => Assert.True(h > forkHeight, "the minority mined a fork of its own"));
        ulong boundary = (forkHeight / (ulong)epochLength + 1) * (ulong)epochLength;
        bool straddles = minorityHeights.Values.Min() > boundary && majorityHeight > boundary;
        output.WriteLine(straddles ? $"both sides crossed the epoch boundary at {boundary}" : $"both sides stayed inside epoch {forkHeight / (ulong)epochLength}");
        Assert.Equal(splitHeight + MajorityBlocks < epochLength ? false : true, straddles);

        simulation.Network.Heal();
        simulation.StopMining();
        simulation.AnnounceHeads();
        simulation.Drain();
        Assert.True(simulation.HeadsAgree(), "after healing every node is on one head");
        var head = simulation.Nodes[Majority[0]].Chain.Head;
        Assert.True(head.Height >= majorityHeight, "the head is the majority's (heavier) chain");
        foreach (int i in Minority)
        {
            var stats = simulation.Nodes[i].Statistics;
            output.WriteLine($"minority node {i}: reorganised {stats.Reorgs} times, deepest {stats.MaxReorgDepth}");
            Assert.True(stats.MaxReorgDepth >= (int)(minorityHeights[i] - forkHeight), $"node {i} rolled back its whole fork");
        }
        AssertEveryNodeEqualsAFreshReplay(fixture, genesis, "replay-at-heal");

        // Mining on past the next epoch end settles the epoch whose weights the fork had touched.
        ulong next = (head.Height / (ulong)epochLength + 1) * (ulong)epochLength + 2;
        simulation.MineToAgreedHeight(next, budget);
        output.WriteLine(simulation.Report().ToString());
        AssertEveryNodeEqualsAFreshReplay(fixture, genesis, "replay-after");
        int transfers = fixture.TransfersOnChain();
        output.WriteLine($"{transfers} transfers on the final chain");
        if (splitHeight + MajorityBlocks >= epochLength) Assert.True(transfers > 0, "balances paid before the split moved by transfers");
    }

    private void AssertEveryNodeEqualsAFreshReplay(SimulationFixture fixture, Genesis.GenesisConfig genesis, string name)
    {
        var simulation = fixture.Simulation;
        using var reference = fixture.Replay(genesis, simulation.Nodes[Majority[0]].Chain.MainChain(), name);
        var expected = reference.Snapshot();
        if (reference.Head.Height >= (ulong)genesis.EpochLength) Assert.NotEmpty(expected.Balances); // rewards are paid at epoch ends
        Assert.NotEmpty(expected.EpochWeights.Values.SelectMany(w => w));
        output.WriteLine($"{name}: height {reference.Head.Height}, digest {Convert.ToHexStringLower(expected.Digest)[..16]}, {expected.Balances.Count} accounts");
        foreach (var node in simulation.Nodes)
            Assert.Equal("", node.Chain.Snapshot().DifferenceFrom(expected));
    }
}
