using System.Numerics;
using Xunit.Abstractions;

namespace P2P.Consensus.Simulation.Tests.Acceptance;

/// <summary>
/// Acceptance 2: ten miners at 1× … 8× nonce rates for 20 epochs agree on one head and one state digest, are paid in
/// proportion to their hash rate, the issuance equals the schedule exactly and blocks come on time.
/// Test genesis (for speed on a 2-core machine): epochs of 12 blocks, share shift k = 3 (≈ 8 shares per block), 64
/// nonces per block at the initial target, 60 s virtual blocks, a 600 s ASERT half-life, issuance halving every 8 epochs;
/// every node also pays a random peer about every five block times.
/// </summary>
public sealed class UnequalMinersTests(ITestOutputHelper output)
{
    private const int Epochs = 20;
    private const int EpochLength = 12;

    /// <summary>
    /// The bound: credit is share work, and every nonce of miner i is a share with the same probability as anyone's,
    /// so its count of credited shares out of N is binomial(N, p_i) with p_i its hash-rate share. Its reward share
    /// (pro rata to credited work per epoch) is allowed 4.5 standard deviations of that binomial share — the per-epoch
    /// normalisation and the moving share credit add a little variance on top of the pooled count.
    /// </summary>
    private const double Sigmas = 4.5;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TenUnequalMiners_Agree_AndArePaidByHashRate(int seed)
    {
        var genesis = SimulationGenesis.Create(EpochLength, shareShift: 3, halvingEpochs: 8);
        using var fixture = new SimulationFixture(SimulationFixture.Settings10(seed, genesis));
        var simulation = fixture.Simulation;

        simulation.StartTransfers();
        simulation.MineToAgreedHeight(Epochs * EpochLength, maxVirtualSeconds: Epochs * EpochLength * genesis.TargetBlockSeconds * 4);
        var report = simulation.Report();
        output.WriteLine(report.ToString());

        Assert.True(report.AllOnOneHead, "all nodes end on one head");
        Assert.True(report.AllOnOneDigest, "all nodes end on one state digest");
        var snapshots = simulation.Nodes.Select(n => n.Chain.Snapshot()).ToList();
        foreach (var snapshot in snapshots.Skip(1)) Assert.Equal("", snapshots[0].DifferenceFrom(snapshot));

        int closed = report.ClosedEpochs;
        Assert.InRange(closed, Epochs, Epochs + 1);
        Assert.Equal(SimulationGenesis.ScheduledTotal(genesis, closed), report.Issued);
        // Transfers moved rewards and paid fees to miners; units were neither made nor lost.
        int transfers = fixture.TransfersOnChain();
        output.WriteLine($"{transfers} transfers on the chain");
        Assert.True(transfers > 0, "rewards moved by transfers");
        Assert.Equal(report.Issued, snapshots[0].Balances.Values.Aggregate(BigInteger.Zero, (a, b) => a + b));

        foreach (var node in report.Nodes)
        {
            double bound = SimulationReport.BinomialBound(node.HashRateShare, report.CreditedShares, Sigmas);
            output.WriteLine($"node {node.Index}: hash {node.HashRateShare:P2}, reward {node.RewardShare:P2}, bound ±{bound:P2}");
            Assert.InRange(node.RewardShare, node.HashRateShare - bound, node.HashRateShare + bound);
        }

        double target = genesis.TargetBlockSeconds;
        Assert.InRange(report.MeanBlockSeconds, target * 0.9, target * 1.1);
    }
}
