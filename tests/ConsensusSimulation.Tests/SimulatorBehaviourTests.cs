using Xunit.Abstractions;

namespace P2P.Consensus.Simulation.Tests;

/// <summary>The simulator's own promises: same seed same run, recovery from message loss, orphans fetched from peers.</summary>
public sealed class SimulatorBehaviourTests(ITestOutputHelper output)
{
    private static SimulationReport Run(int seed, P2P.Consensus.Simulation.Network.LinkProfile? link = null, P2P.Consensus.Simulation.Nodes.NodeSettings? node = null, ulong height = 30)
    {
        var genesis = SimulationGenesis.Create(epochLength: 8, shareShift: 3);
        var settings = SimulationFixture.Settings10(seed, genesis, nodes: 4);
        settings = settings with { Link = link ?? settings.Link, Node = node ?? settings.Node };
        using var fixture = new SimulationFixture(settings);
        fixture.Simulation.StartHeadAnnouncements();
        fixture.Simulation.MineToAgreedHeight(height, maxVirtualSeconds: height * 60 * 20);
        return fixture.Simulation.Report();
    }

    [Fact]
    public void Simulator_GivesTheSameRunForTheSameSeed_AndAnotherForAnotherSeed()
    {
        var first = Run(31);
        var second = Run(31);
        var other = Run(32);
        output.WriteLine(first.ToString());
        Assert.Equal(first.Nodes.Select(n => (n.HeadHash, n.Digest, n.BlocksMined, n.SharesMined, n.NoncesTried, n.Balance)),
                     second.Nodes.Select(n => (n.HeadHash, n.Digest, n.BlocksMined, n.SharesMined, n.NoncesTried, n.Balance)));
        Assert.Equal(first.VirtualSeconds, second.VirtualSeconds);
        Assert.Equal(first.Network, second.Network);
        Assert.NotEqual(first.Nodes[0].HeadHash, other.Nodes[0].HeadHash);
    }

    [Fact]
    public void Nodes_Converge_ThroughLossySlowLinksByFetchingMissingParents()
    {
        // 40 % loss and up to 3 s of delay: blocks are missed and arrive out of order, so children come before their
        // parents and nodes must fetch; periodic head announcements repair what loss dropped for good.
        var lossy = new P2P.Consensus.Simulation.Network.LinkProfile(LatencyMicros: 500_000, JitterMicros: 2_500_000, Loss: 0.4, BytesPerSecond: 1_000_000);
        var node = new P2P.Consensus.Simulation.Nodes.NodeSettings { HeadAnnounceIntervalMicros = 120_000_000, TemplateRefreshMicros = 60_000_000 };
        var report = Run(33, lossy, node, height: 40);
        output.WriteLine(report.ToString());
        Assert.True(report.AllOnOneHead);
        Assert.True(report.AllOnOneDigest);
        Assert.True(report.Height >= 40);
        Assert.True(report.OrphansReceived > 0 && report.ParentRequests > 0, "some blocks arrived before their parents and were fetched");
    }
}
