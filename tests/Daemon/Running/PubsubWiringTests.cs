using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using P2P.Daemon.Cli;
using P2P.Daemon.Configuration;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Running;

/// <summary>
/// <c>p2pd run</c> runs gossipsub and discovery: two daemons, one bootstrapping to the other, mesh and score each other;
/// a third, bootstrapped to the first only, finds the second through the DHT.
/// </summary>
public sealed class PubsubWiringTests : IDisposable
{
    private const string Topic = "p2pd/test/1";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = new();

    private (string DataDirectory, string PeerId) Init(string name)
    {
        var dataDirectory = _temp.Sub(name);
        var output = new StringWriter();
        Assert.Equal(0, InitCommand.Run(dataDirectory, force: false, output, new StringWriter()));
        var peerId = output.ToString().Split('\n').Single(l => l.Contains("peer id", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
        return (dataDirectory, peerId);
    }

    [Fact]
    public async Task TwoDaemons_OneBootstrappingToTheOther_MeshAndScoreEachOther_AThirdFindsTheSecondThroughTheDht_AllStopCleanly()
    {
        var (dataA, idA) = Init("a");
        var (dataB, idB) = Init("b");
        var (dataC, idC) = Init("c");
        var portA = FreePort.Next();
        var portB = FreePort.Next();
        var portC = FreePort.Next();
        // A short discovery interval so that a daemon whose first self-lookup found nobody retries within the test's time.
        string[] pubsubArguments = [$"--Pubsub:Topics:0={Topic}", "--Pubsub:HeartbeatIntervalMs=200", "--Discovery:DiscoveryIntervalSeconds=1"];

        await using var a = DaemonProcess.Start(["run", "--data-dir", dataA, $"--Api:Port={portA}", .. pubsubArguments]);
        await a.WaitUntilHealthyAsync(portA);
        using var httpA = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{portA}/"), Timeout = TimeSpan.FromSeconds(10) };
        var addressA = (await httpA.GetFromJsonAsync<JsonElement>("api/v1/network")).GetProperty("listenAddresses")[0].GetString()!;

        await using var b = DaemonProcess.Start(["run", "--data-dir", dataB, $"--Api:Port={portB}", $"--Network:BootstrapPeers:0={addressA}", .. pubsubArguments]);
        await b.WaitUntilHealthyAsync(portB);
        using var httpB = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{portB}/"), Timeout = TimeSpan.FromSeconds(10) };

        var viewA = await WaitForMeshAsync(httpA, idA, idB, expectedDirection: "inbound");
        var viewB = await WaitForMeshAsync(httpB, idB, idA, expectedDirection: "outbound");
        foreach (var view in new[] { viewA, viewB })
        {
            var discovery = view.GetProperty("discovery");
            Assert.True(discovery.GetProperty("enabled").GetBoolean());
            Assert.Equal(8, discovery.GetProperty("targetPeers").GetInt32());
            Assert.Equal(1, discovery.GetProperty("connectedPeers").GetInt32());
        }

        // p2pd peers prints the gossipsub score of each connection in its own column.
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.True(await CliRoot.RunAsync(["peers", "--data-dir", dataB, $"--Api:Port={portB}"], output, error) == 0, error.ToString());
        var lines = output.ToString().Split('\n');
        Assert.Contains(lines, l => l.Contains("Score", StringComparison.Ordinal));
        var row = Assert.Single(lines, l => l.Contains(idA, StringComparison.Ordinal));
        var score = viewB.GetProperty("peers").EnumerateArray().Single(p => p.GetProperty("peerId").GetString() == idA).GetProperty("score").GetDouble();
        Assert.Matches($@"\s{Regex.Escape(score.ToString("F2", System.Globalization.CultureInfo.InvariantCulture))}\s", row);

        // C knows only A; its DHT lookup through A returns B, and the discovery loop dials it.
        await using var c = DaemonProcess.Start(["run", "--data-dir", dataC, $"--Api:Port={portC}", $"--Network:BootstrapPeers:0={addressA}", .. pubsubArguments]);
        await c.WaitUntilHealthyAsync(portC);
        using var httpC = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{portC}/"), Timeout = TimeSpan.FromSeconds(10) };
        // B's own random walks may dial C at the same moment, so which side's connection survives is not fixed here.
        await WaitForMeshAsync(httpC, idC, idB, expectedDirection: null);
        await WaitForMeshAsync(httpB, idB, idC, expectedDirection: null);

        foreach (var daemon in new[] { c, b, a })
        {
            daemon.Signal(Posix.SigTerm);
            Assert.True(await daemon.WaitForExitAsync(TimeSpan.FromSeconds(15)), "p2pd did not stop after SIGTERM");
            Assert.Equal(0, daemon.ExitCode);
            Assert.DoesNotContain("Exception", daemon.StandardOutput + daemon.StandardError);
        }
    }

    /// <summary>Polls <c>/api/v1/pubsub</c> until <paramref name="other"/> is a scored pubsub peer, the routing table knows it and it is in our mesh of <see cref="Topic"/>.</summary>
    private static async Task<JsonElement> WaitForMeshAsync(HttpClient http, string self, string other, string? expectedDirection)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (true)
        {
            var view = await http.GetFromJsonAsync<JsonElement>("api/v1/pubsub");
            Assert.Equal(self, view.GetProperty("peerId").GetString());
            var peer = view.GetProperty("peers").EnumerateArray().SingleOrDefault(p => p.GetProperty("peerId").GetString() == other);
            var topic = view.GetProperty("topics").EnumerateArray().SingleOrDefault(t => t.GetProperty("topic").GetString() == Topic);
            if (peer.ValueKind == JsonValueKind.Object
                && peer.GetProperty("score").ValueKind == JsonValueKind.Number
                && peer.GetProperty("topics").EnumerateArray().Any(t => t.GetString() == Topic)
                && topic.ValueKind == JsonValueKind.Object
                && topic.GetProperty("mesh").EnumerateArray().Any(m => m.GetString() == other)
                && view.GetProperty("discovery").GetProperty("routingTablePeers").GetInt32() >= 1)
            {
                Assert.True(topic.GetProperty("subscribed").GetBoolean());
                Assert.Equal(topic.GetProperty("mesh").GetArrayLength(), topic.GetProperty("meshSize").GetInt32());
                Assert.True(topic.GetProperty("peers").GetInt32() >= topic.GetProperty("meshSize").GetInt32());
                Assert.StartsWith("/meshsub/1.", peer.GetProperty("protocol").GetString());
                if (expectedDirection is not null) Assert.Equal(expectedDirection, peer.GetProperty("direction").GetString());
                return view;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{self} does not mesh and score {other} yet: {view}");
            await Task.Delay(100);
        }
    }

    public void Dispose() => _temp.Dispose();
}
