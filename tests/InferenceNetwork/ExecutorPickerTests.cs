using Microsoft.Extensions.Time.Testing;
using P2P.InferenceNetwork.Adverts;
using P2P.InferenceNetwork.Routing;

namespace P2P.InferenceNetwork.Tests;

/// <summary>The picker draws executors in proportion to weight × health (× 0.1 without free slots).</summary>
public sealed class ExecutorPickerTests
{
    private const int Draws = 40_000;

    [Fact]
    public void Frequencies_FollowWeightTimesHealth_WithinFourSigma()
    {
        var weights = new TableWeights(new() { ["heavy"] = 0.6, ["light"] = 0.3, ["floor"] = 0.01, ["slow"] = 0.6, ["full"] = 0.6 });
        var time = new FakeTimeProvider();
        var health = new PeerHealth(time);
        health.RecordSuccess("slow", TimeSpan.FromSeconds(1)); // latency 1 s: score 1 / (1 + 1) = 0.5
        health.RecordFailure("light");                          // success rate 0.8, backing off for 2 s
        time.Advance(TimeSpan.FromSeconds(3));
        var adverts = new[] { "heavy", "light", "floor", "slow", "full" }.Select(p => Advert(p, freeSlots: p == "full" ? 0 : 2)).ToList();
        var picker = new ExecutorPicker(weights, health, new Random(42));

        var counts = adverts.ToDictionary(a => a.PeerId, _ => 0);
        for (int i = 0; i < Draws; i++) counts[picker.Pick(adverts, new HashSet<string>())!.PeerId]++;

        var expected = new Dictionary<string, double>
        {
            ["heavy"] = 0.6 * 1.0,
            ["light"] = 0.3 * 0.8,
            ["floor"] = 0.01 * 1.0,
            ["slow"] = 0.6 * 0.5,
            ["full"] = 0.6 * 1.0 * 0.1,
        };
        double total = expected.Values.Sum();
        foreach (var (peer, mass) in expected)
        {
            double p = mass / total, sigma = Math.Sqrt(p * (1 - p) / Draws);
            double frequency = counts[peer] / (double)Draws;
            Assert.True(Math.Abs(frequency - p) < 4 * sigma, $"{peer}: drawn {frequency:F4}, expected {p:F4} ± {4 * sigma:F4}");
        }

        // The same seed draws the same sequence.
        var again = new ExecutorPicker(weights, health, new Random(42));
        var first = new ExecutorPicker(weights, health, new Random(42));
        Assert.Equal(Enumerable.Range(0, 50).Select(_ => first.Pick(adverts, new HashSet<string>())!.PeerId), Enumerable.Range(0, 50).Select(_ => again.Pick(adverts, new HashSet<string>())!.PeerId));
    }

    [Fact]
    public void BackingOffAndExcludedPeers_AreNeverDrawn()
    {
        var time = new FakeTimeProvider();
        var health = new PeerHealth(time);
        health.RecordFailure("broken");
        var adverts = new[] { "good", "broken", "excluded" }.Select(p => Advert(p, 2)).ToList();
        var picker = new ExecutorPicker(new HealthOnlyWeights(), health, new Random(7));

        var drawn = Enumerable.Range(0, 500).Select(_ => picker.Pick(adverts, new HashSet<string> { "excluded" })!.PeerId).ToHashSet();

        Assert.Equal(["good"], drawn);
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.Contains("broken", Enumerable.Range(0, 500).Select(_ => picker.Pick(adverts, new HashSet<string> { "excluded" })!.PeerId));
    }

    private static CapabilityAdvert Advert(string peer, int freeSlots) => new()
    {
        PeerId = peer,
        ModelId = new string('a', 64),
        Name = "m",
        End = 5,
        NumLayers = 5,
        FreeSlots = freeSlots,
        MaxSessions = 2,
        ExpiresAtMs = long.MaxValue,
    };

    private sealed class TableWeights(Dictionary<string, double> table) : IExecutorWeights
    {
        public double WeightOf(string peerId) => table[peerId];
    }
}
