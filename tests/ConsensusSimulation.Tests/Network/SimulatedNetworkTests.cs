using P2P.Consensus.Simulation.Events;
using P2P.Consensus.Simulation.Network;

namespace P2P.Consensus.Simulation.Tests.Network;

public sealed class SimulatedNetworkTests
{
    private static (EventLoop Loop, SimulatedNetwork<string> Network, List<(long At, int From, int To, string Message)> Log) Make(LinkProfile link, int seed = 1, int nodes = 4)
    {
        var loop = new EventLoop();
        var network = new SimulatedNetwork<string>(loop, nodes, link, new Random(seed));
        var log = new List<(long, int, int, string)>();
        network.OnDeliver((from, to, message) => log.Add((loop.NowMicros, from, to, message)));
        return (loop, network, log);
    }

    [Fact]
    public void Messages_ArriveAfterLatencyPlusSerialisationTime()
    {
        var (loop, network, log) = Make(new LinkProfile(50_000, 0, 0, 1_000_000));
        network.Send(0, 1, "hello", 1_000);
        loop.Run(() => false, long.MaxValue, 100);
        Assert.Equal([(51_000L, 0, 1, "hello")], log);
    }

    [Fact]
    public void Jitter_StaysWithinItsBound_AndTheSameSeedGivesTheSameDelays()
    {
        List<long> Delays(int seed)
        {
            var (loop, network, log) = Make(new LinkProfile(10_000, 5_000), seed);
            for (int i = 0; i < 200; i++) network.Send(0, 1, $"m{i}", 10);
            loop.Run(() => false, long.MaxValue, 1_000);
            return log.Select(l => l.At).ToList();
        }
        var first = Delays(7);
        Assert.Equal(200, first.Count);
        Assert.All(first, d => Assert.InRange(d, 10_000, 15_000));
        Assert.True(first.Distinct().Count() > 50, "jitter varies the delay");
        Assert.Equal(first, Delays(7));
        Assert.NotEqual(first, Delays(8));
    }

    [Fact]
    public void Loss_DropsAboutItsFraction()
    {
        var (loop, network, log) = Make(new LinkProfile(1_000, 0, 0.25));
        for (int i = 0; i < 4_000; i++) network.Send(0, 1, "m", 10);
        loop.Run(() => false, long.MaxValue, 10_000);
        Assert.InRange(network.Statistics.DroppedByLoss, 850, 1_150);
        Assert.Equal(4_000 - network.Statistics.DroppedByLoss, log.Count);
    }

    [Fact]
    public void Partition_CutsMessagesAcrossGroupsIncludingThoseInFlight_AndHealRestoresThem()
    {
        var (loop, network, log) = Make(new LinkProfile(10_000));
        network.Send(0, 2, "in flight", 10);
        network.Partition([0, 1], [2, 3]);
        Assert.True(network.IsPartitioned);
        network.Send(0, 1, "same side", 10);
        network.Send(1, 3, "across", 10);
        loop.Run(() => false, long.MaxValue, 100);
        Assert.Equal(["same side"], log.Select(l => l.Message));
        Assert.Equal(2, network.Statistics.DroppedByPartition);

        network.Heal();
        Assert.False(network.IsPartitioned);
        network.Send(1, 3, "after heal", 10);
        loop.Run(() => false, long.MaxValue, 100);
        Assert.Equal("after heal", log[^1].Message);
    }

    [Fact]
    public void Partition_MustCoverEveryNodeOnce()
    {
        var (_, network, _) = Make(new LinkProfile(1));
        Assert.Throws<ArgumentException>(() => network.Partition([0, 1], [2]));
        Assert.Throws<ArgumentException>(() => network.Partition([0, 1, 2], [2, 3]));
        Assert.Throws<ArgumentException>(() => network.Partition([0, 1, 2, 3, 4]));
    }
}
