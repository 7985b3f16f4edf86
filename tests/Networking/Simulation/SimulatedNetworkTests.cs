using P2P.Networking.Core;
using P2P.Networking.Pubsub;
using P2P.Networking.RequestResponse;
using P2P.Simulation;

namespace P2P.Networking.Tests.Simulation;

/// <summary>
/// Request/response and gossip on the simulated network: everything runs on a fake clock (no sockets, no wall-clock
/// waits), so partitions and timeouts take simulated seconds and no real time.
/// </summary>
public sealed class SimulatedNetworkTests
{
    private const string Topic = "p2pd/sim/1";
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private static RequestResponseDefinition<string, string> Echo(TimeSpan? timeout = null, int perPeer = 8) =>
        new("/p2pd/echo/1", new Utf8Codec(), new Utf8Codec(),
            new RequestResponseOptions { Timeout = timeout ?? TimeSpan.FromSeconds(5), MaxConcurrentPerPeer = perPeer });

    /// <summary>Acceptance item 3 of #10: a request/response protocol and a gossip topic, a partition and a timeout, all simulated.</summary>
    [Fact]
    public async Task GossipAndRequests_SurviveAPartitionAndTimeOutAcrossIt()
    {
        var network = new SimulatedNetwork(seed: 7);
        var peers = Enumerable.Range(0, 4).Select(_ => network.AddPeer()).ToArray();
        var (a, b, c, d) = (peers[0], peers[1], peers[2], peers[3]);
        network.ConnectAll(new LinkConditions(TimeSpan.FromMilliseconds(30), Jitter: TimeSpan.FromMilliseconds(10)));
        var logs = new List<MessageLog>();
        foreach (var peer in peers)
        {
            peer.Pubsub.Join(Topic, new TopicOptions { Validator = (m, _) => ValueTask.FromResult(m.Data.Length > 0 ? ValidationResult.Accept : ValidationResult.Reject) });
            logs.Add(peer.Record(Topic));
            var server = peer.RequestResponse.Create(Echo());
            server.Serve((from, request, _) => Task.FromResult($"{request} from {peer}"));
        }
        var clientOfA = a.RequestResponse.Create(Echo());
        Assert.True(await network.RunUntilAsync(() => peers.All(p => p.Pubsub.Router.MeshPeers(Topic).Count == 3), 5 * Second), "meshes did not form");

        await a.Pubsub.PublishAsync(Topic, "before"u8.ToArray());
        Assert.True(await network.RunUntilAsync(() => logs.Skip(1).All(l => l.Contains("before")), Second));
        var started = network.Time.GetUtcNow();
        var answer = clientOfA.RequestAsync(c.Id, "hello");
        Assert.True(await network.RunUntilAsync(() => answer.IsCompleted, Second));
        Assert.Equal($"hello from {c}", await answer);
        var roundTrip = network.Time.GetUtcNow() - started;
        Assert.InRange(roundTrip, TimeSpan.FromMilliseconds(60), TimeSpan.FromMilliseconds(90)); // two 30–40 ms legs

        network.Partition([a, b], [c, d]);
        await a.Pubsub.PublishAsync(Topic, "during"u8.ToArray());
        Assert.True(await network.RunUntilAsync(() => logs[1].Contains("during"), Second));
        var across = clientOfA.RequestAsync(c.Id, "anyone there?");
        var within = clientOfA.RequestAsync(b.Id, "still here?");
        Assert.True(await network.RunUntilAsync(() => within.IsCompleted, Second));
        Assert.Equal($"still here? from {b}", await within);
        Assert.False(across.IsCompleted);
        var partitioned = network.Time.GetUtcNow();
        Assert.True(await network.RunUntilAsync(() => across.IsCompleted, 10 * Second));
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => across);
        Assert.Contains("/p2pd/echo/1", timeout.Message);
        Assert.InRange(network.Time.GetUtcNow() - partitioned, 4.9 * Second, 5.1 * Second);
        Assert.DoesNotContain("during", logs[2].Texts);
        Assert.DoesNotContain("during", logs[3].Texts);

        network.Heal();
        await c.Pubsub.PublishAsync(Topic, "after"u8.ToArray());
        Assert.True(await network.RunUntilAsync(() => logs.Where((_, i) => i != 2).All(l => l.Contains("after")), 2 * Second));
        var healed = clientOfA.RequestAsync(d.Id, "back?");
        Assert.True(await network.RunUntilAsync(() => healed.IsCompleted, Second));
        Assert.Equal($"back? from {d}", await healed);
        Assert.All(logs, l => Assert.Equal(l.Texts.Count, l.Texts.Distinct().Count()));
        foreach (var log in logs)
        {
            await log.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheSameSeed_GivesTheSameRun()
    {
        async Task<string> RunAsync(int seed)
        {
            var network = new SimulatedNetwork(seed);
            var peers = Enumerable.Range(0, 5).Select(_ => network.AddPeer()).ToArray();
            network.ConnectAll(new LinkConditions(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(30), LossRate: 0.1));
            foreach (var peer in peers)
            {
                peer.Pubsub.Subscribe(Topic);
            }
            await network.RunForAsync(3 * Second);
            for (var i = 0; i < 5; i++)
            {
                await peers[i].Pubsub.PublishAsync(Topic, new[] { (byte)i });
            }
            await network.RunForAsync(3 * Second);
            return $"{network.MessagesSent}/{network.MessagesLost} " + string.Join(";", peers.Select(p => string.Join(",", p.Pubsub.Router.MeshPeers(Topic).Select(m => m.ToString()[^4..]).Order())));
        }

        var first = await RunAsync(3);
        Assert.Equal(first, await RunAsync(3));
        Assert.NotEqual(first, await RunAsync(4));
    }

    [Fact]
    public async Task ALossyLink_MakesRequestsTimeOutOnTheSimulatedClock()
    {
        var network = new SimulatedNetwork(seed: 1);
        var a = network.AddPeer();
        var b = network.AddPeer();
        network.Connect(a, b, new LinkConditions(TimeSpan.FromMilliseconds(10), LossRate: 1));
        b.RequestResponse.Create(Echo(Second)).Serve((_, request, _) => Task.FromResult(request));
        var request = a.RequestResponse.Create(Echo(Second)).RequestAsync(b.Id, "lost");
        Assert.True(await network.RunUntilAsync(() => request.IsCompleted, 2 * Second));
        await Assert.ThrowsAsync<TimeoutException>(() => request);
        Assert.True(network.MessagesLost >= 1);
    }

    [Fact]
    public async Task RequestsOverThePerPeerLimit_AreRefusedAtOnce()
    {
        var network = new SimulatedNetwork();
        var a = network.AddPeer();
        var b = network.AddPeer();
        network.Connect(a, b);
        var release = new TaskCompletionSource<string>();
        b.RequestResponse.Create(Echo(perPeer: 2)).Serve((_, _, _) => release.Task);
        var client = a.RequestResponse.Create(Echo(perPeer: 2));
        var held = new[] { client.RequestAsync(b.Id, "1"), client.RequestAsync(b.Id, "2") };
        await network.RunForAsync(TimeSpan.FromMilliseconds(100));
        var refused = client.RequestAsync(b.Id, "3");
        Assert.True(await network.RunUntilAsync(() => refused.IsCompleted, Second));
        await Assert.ThrowsAsync<RequestRefusedException>(() => refused);
        release.SetResult("done");
        Assert.True(await network.RunUntilAsync(() => held.All(t => t.IsCompleted), Second));
        Assert.All(held, t => Assert.Equal("done", t.Result));
    }

    [Fact]
    public async Task AStreamingRequest_YieldsEveryResponseInOrder()
    {
        var network = new SimulatedNetwork();
        var a = network.AddPeer();
        var b = network.AddPeer();
        network.Connect(a, b);
        var definition = new RequestResponseDefinition<string, string>("/p2pd/tokens/1", new Utf8Codec(), new Utf8Codec(),
            new RequestResponseOptions { MaxResponseMessages = 10, StreamIdleTimeout = Second });
        b.RequestResponse.CreateStreaming(definition).Serve((_, prompt, ct) => TokensAsync(network.Time, prompt, 5, ct));
        // Read without Task.Run: the reader then runs on the simulation's thread, in simulated time.
        var received = new List<string>();
        async Task ReadAllAsync(string prompt)
        {
            await foreach (var token in a.RequestResponse.CreateStreaming(definition).RequestAsync(b.Id, prompt))
            {
                received.Add(token);
            }
        }
        var reading = ReadAllAsync("count");
        Assert.True(await network.RunUntilAsync(() => reading.IsCompleted, 5 * Second));
        await reading;
        Assert.Equal(["count 0", "count 1", "count 2", "count 3", "count 4"], received);

        // A server that stalls longer than the idle timeout fails the client's enumeration with a timeout.
        var stalled = ReadAllAsync("stall");
        Assert.True(await network.RunUntilAsync(() => stalled.IsCompleted, 60 * Second));
        await Assert.ThrowsAsync<TimeoutException>(() => stalled);
    }

    private static async IAsyncEnumerable<string> TokensAsync(TimeProvider time, string prompt, int count, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
            yield return $"{prompt} {i}";
            if (prompt == "stall")
            {
                await Task.Delay(TimeSpan.FromSeconds(30), time, cancellationToken);
            }
        }
    }

    [Fact]
    public async Task Misbehaviour_LowersTheGossipScoreAndABanDisconnects()
    {
        var network = new SimulatedNetwork();
        var a = network.AddPeer();
        var b = network.AddPeer();
        network.Connect(a, b);
        a.Pubsub.Subscribe(Topic);
        b.Pubsub.Subscribe(Topic);
        Assert.True(await network.RunUntilAsync(() => a.Pubsub.Router.MeshPeers(Topic).Count == 1, 3 * Second));
        var before = a.Pubsub.GetScore(b.Id);
        IPeerReputation reputation = a.Reputation;
        reputation.ReportMisbehaviour(b.Id, 5, "sent an invalid block");
        Assert.Equal(before - 5 * a.Pubsub.Router.Options.Score.AppSpecificWeight, a.Pubsub.GetScore(b.Id), 3);

        await reputation.BanAsync(b.Id, TimeSpan.FromMinutes(1), "test");
        Assert.False(a.IsConnectedTo(b));
        Assert.True(reputation.IsBanned(b.Id));
        await network.RunForAsync(TimeSpan.FromMinutes(1));
        Assert.False(reputation.IsBanned(b.Id));
    }
}
