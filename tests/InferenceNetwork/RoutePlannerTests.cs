using P2P.InferenceNetwork.Adverts;
using P2P.InferenceNetwork.Routing;

namespace P2P.InferenceNetwork.Tests;

/// <summary>Span routes are the shortest path over per-token time (advertised throughput + measured round trip), not the greedy chain.</summary>
public sealed class RoutePlannerTests
{
    private const int Layers = 5;

    [Fact]
    public void CheapestRoute_IsChosen_WhereGreedyLongestFirstWouldTakeASlowTail()
    {
        // Greedy (longest first span) takes wide [0,4) then a slow [4,5): 1 ms + 200 ms. Two 2 ms spans cost 4 ms.
        var adverts = new[] { Advert("wide", 0, 4, 1000), Advert("slow-tail", 4, 5, 5), Advert("head", 0, 2, 500), Advert("tail", 2, 5, 500) };
        var planner = new RoutePlanner(new ExecutorPicker(new HealthOnlyWeights(), new PeerHealth(), new Random(1)), new PeerHealth());

        for (int i = 0; i < 20; i++)
            Assert.Equal(["head", "tail"], planner.Plan(adverts, Layers, new HashSet<string>())!.Select(a => a.PeerId));
    }

    [Fact]
    public void MeasuredRoundTrip_CanMakeMoreHopsCheaper()
    {
        // Fewest hops [0,5) would be chosen by hop count; its server is 300 ms away, three near 5 ms spans win.
        var health = new PeerHealth();
        var adverts = new[] { Advert("far-whole-span", 0, 5, 1000), Advert("a", 0, 1, 200), Advert("b", 1, 3, 200), Advert("c", 3, 5, 200) };
        var planner = new RoutePlanner(new ExecutorPicker(new HealthOnlyWeights(), health, new Random(1)), health);
        health.RecordSuccess("far-whole-span", TimeSpan.FromMilliseconds(301));
        foreach (var near in new[] { "a", "b", "c" }) health.RecordSuccess(near, TimeSpan.FromMilliseconds(6));

        var route = planner.Plan(adverts, Layers, new HashSet<string>())!;

        Assert.Equal(["a", "b", "c"], route.Select(a => a.PeerId));
        Assert.Equal(0.301, planner.CostOf(adverts[0]), 6);
        Assert.Equal(0.006, planner.CostOf(adverts[1]), 6);
        Assert.Equal(0.002 + 0.010, planner.CostOf(Advert("unmeasured", 0, 1, 500)), 6);
    }

    [Fact]
    public void ExcludedOrMissingSpans_LeaveNoRoute_OrTheOtherOne()
    {
        var adverts = new[] { Advert("head", 0, 2, 500), Advert("tail", 2, 5, 500), Advert("wide", 0, 4, 1000) };
        var planner = new RoutePlanner(new ExecutorPicker(new HealthOnlyWeights(), new PeerHealth(), new Random(1)), new PeerHealth());

        Assert.Null(planner.Plan(adverts, Layers, new HashSet<string> { "tail" }));
        Assert.Null(planner.Plan(adverts.Take(1), Layers, new HashSet<string>()));
    }

    [Fact]
    public void EachSpansServer_IsDrawnByWeightTimesHealth()
    {
        var adverts = new[] { Advert("light", 0, 2, 500), Advert("heavy", 0, 2, 500), Advert("tail", 2, 5, 500) };
        var planner = new RoutePlanner(new ExecutorPicker(new Weights(), new PeerHealth(), new Random(3)), new PeerHealth());

        int heavy = Enumerable.Range(0, 2000).Count(_ => planner.Plan(adverts, Layers, new HashSet<string>())![0].PeerId == "heavy");

        // p(heavy) = 9 / 10; 4 σ over 2000 draws ≈ 0.027.
        Assert.InRange(heavy / 2000.0, 0.9 - 0.027, 0.9 + 0.027);
    }

    private static CapabilityAdvert Advert(string peer, int start, int end, double tokensPerSecond) => new()
    {
        PeerId = peer,
        ModelId = new string('a', 64),
        Name = "m",
        Start = start,
        End = end,
        NumLayers = Layers,
        TokensPerSecond = tokensPerSecond,
        FreeSlots = 2,
        MaxSessions = 2,
        ExpiresAtMs = long.MaxValue,
    };

    private sealed class Weights : IExecutorWeights
    {
        public double WeightOf(string peerId) => peerId == "heavy" ? 9 : 1;
    }
}
