using System.Collections.Concurrent;
using P2P.Networking.Core;
using P2P.Networking.Encoding;
using P2P.Networking.Pubsub;

namespace P2P.Networking.Tests.Pubsub;

public sealed class GossipsubHostTests
{
    private const string Topic = "p2pd/test/1";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    private static (ConcurrentDictionary<string, int> Seen, Task Pump) Collect(ISubscription subscription, CancellationToken token)
    {
        var seen = new ConcurrentDictionary<string, int>();
        var pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in subscription.WithCancellation(token))
                {
                    seen.AddOrUpdate(System.Text.Encoding.UTF8.GetString(message.Data.Span), 1, (_, n) => n + 1);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        return (seen, pump);
    }

    [Fact]
    public async Task TwoNodes_Exchange100MessagesEachWayExactlyOnce()
    {
        await using var swarm = new PubsubTestSwarm();
        var a = await swarm.AddAsync();
        var b = await swarm.AddAsync();
        await using var subA = a.Subscribe(Topic);
        await using var subB = b.Subscribe(Topic);
        using var stop = new CancellationTokenSource();
        var (seenA, pumpA) = Collect(subA, stop.Token);
        var (seenB, pumpB) = Collect(subB, stop.Token);
        await swarm.ConnectAsync(0, 1);
        Assert.True(await PubsubTestSwarm.WaitUntilAsync(() => a.Router.MeshPeers(Topic).Count == 1 && b.Router.MeshPeers(Topic).Count == 1, Limit));

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(1, (await a.PublishAsync(Topic, System.Text.Encoding.UTF8.GetBytes($"a{i}"))).Peers);
            Assert.Equal(1, (await b.PublishAsync(Topic, System.Text.Encoding.UTF8.GetBytes($"b{i}"))).Peers);
        }
        Assert.True(await PubsubTestSwarm.WaitUntilAsync(() => seenA.Count == 100 && seenB.Count == 100, Limit));
        // Checks that nothing more arrives: there is no event to await, and the hosts run on real sockets and the system clock.
        await Task.Delay(300);
        Assert.All(seenA, kv => Assert.Equal(1, kv.Value));
        Assert.All(seenB, kv => Assert.Equal(1, kv.Value));
        Assert.All(seenA.Keys, k => Assert.StartsWith("b", k));
        Assert.All(seenB.Keys, k => Assert.StartsWith("a", k));
        var peerView = Assert.Single(a.Peers());
        Assert.Equal(b.LocalPeer.ToString(), peerView.Peer);
        Assert.Equal("/meshsub/1.2.0", peerView.Protocol);
        Assert.Equal([Topic], peerView.Topics);
        Assert.True(a.GetScore(b.LocalPeer) >= 0);
        stop.Cancel();
        await Task.WhenAll(pumpA, pumpB);
    }

    /// <summary>
    /// Both nodes dial at once and the connection manager closes one connection; pubsub streams opened on it break
    /// while the peer stays connected. Each side must still know the other's subscription, mesh it and deliver
    /// (the daemon test once saw a peer meshed with no known topics after such a race: the broken outbound stream
    /// dropped the peer's router state, and re-adding it could not recover the subscriptions the peer had sent).
    /// </summary>
    [Fact]
    public async Task SimultaneousDial_KeepsSubscriptionsAndMeshOnBothSides()
    {
        for (var round = 0; round < 6; round++)
        {
            await using var swarm = new PubsubTestSwarm();
            var a = await swarm.AddAsync();
            var b = await swarm.AddAsync();
            await using var subA = a.Subscribe(Topic);
            await using var subB = b.Subscribe(Topic);
            using var stop = new CancellationTokenSource();
            var (seenB, pumpB) = Collect(subB, stop.Token);
            await Task.WhenAll(swarm.ConnectAsync(0, 1), swarm.ConnectAsync(1, 0)).WaitAsync(Limit);

            bool Settled() =>
                swarm.Hosts[0].GetConnections(b.LocalPeer).Count == 1 && swarm.Hosts[1].GetConnections(a.LocalPeer).Count == 1
                && a.Peers().SingleOrDefault()?.Topics.SequenceEqual([Topic]) == true
                && b.Peers().SingleOrDefault()?.Topics.SequenceEqual([Topic]) == true
                && a.Router.MeshPeers(Topic).Count == 1 && b.Router.MeshPeers(Topic).Count == 1;
            Assert.True(await PubsubTestSwarm.WaitUntilAsync(Settled, Limit), $"round {round}: A sees {Describe(a)}; B sees {Describe(b)}");
            // Checks that it stays settled past the transport's one-second stream retry (system clock, real sockets),
            // so a recovery that only happens then, or a break it causes, is seen; there is no event to await.
            await Task.Delay(1500);
            Assert.True(Settled(), $"round {round} after the retry delay: A sees {Describe(a)}; B sees {Describe(b)}");

            await a.PublishAsync(Topic, System.Text.Encoding.UTF8.GetBytes($"round {round}"));
            Assert.True(await PubsubTestSwarm.WaitUntilAsync(() => seenB.ContainsKey($"round {round}"), Limit));
            stop.Cancel();
            await pumpB;
        }
    }

    /// <summary>
    /// A's outbound pubsub stream to B breaks while the connection stays up (as when a duplicate connection is closed
    /// under it) and nothing is written until A publishes: the publish meets the dead stream. It must reach B on the
    /// reopened stream, not be lost (B is in A's mesh, so no later gossip would offer it).
    /// </summary>
    [Fact]
    public async Task APublishThatMeetsABrokenStream_IsDeliveredOnTheReopenedOne()
    {
        await using var swarm = new PubsubTestSwarm();
        var a = await swarm.AddAsync();
        var b = await swarm.AddAsync();
        await using var subA = a.Subscribe(Topic);
        await using var subB = b.Subscribe(Topic);
        using var stop = new CancellationTokenSource();
        var (seenB, pumpB) = Collect(subB, stop.Token);
        await swarm.ConnectAsync(0, 1);
        Assert.True(await PubsubTestSwarm.WaitUntilAsync(() => a.Router.MeshPeers(Topic).Count == 1 && b.Router.MeshPeers(Topic).Count == 1, Limit));

        var outbound = swarm.Hosts[0].GetConnections(b.LocalPeer).SelectMany(c => c.Streams)
            .Single(s => s.Direction == Direction.Outbound && s.Protocol.StartsWith("/meshsub/", StringComparison.Ordinal));
        outbound.Reset();
        await a.PublishAsync(Topic, System.Text.Encoding.UTF8.GetBytes("after the break"));

        Assert.True(await PubsubTestSwarm.WaitUntilAsync(() => seenB.ContainsKey("after the break"), Limit), $"A sees {Describe(a)}; B sees {Describe(b)}");
        Assert.Single(swarm.Hosts[0].GetConnections(b.LocalPeer));
        stop.Cancel();
        await pumpB;
    }

    private static string Describe(Gossipsub node) =>
        string.Join(", ", node.Peers().Select(p => $"{p.Peer[^6..]} topics [{string.Join(' ', p.Topics)}]")) + $"; mesh {node.Router.MeshPeers(Topic).Count}";

    [Fact]
    public async Task OversizedRpc_ClosesOnlyThatStream()
    {
        await using var swarm = new PubsubTestSwarm();
        var a = await swarm.AddAsync();
        var b = await swarm.AddAsync();
        await swarm.AddAsync(); // the attacker's host; its gossipsub is a bystander
        await using var subA = a.Subscribe(Topic);
        await using var subB = b.Subscribe(Topic);
        using var stop = new CancellationTokenSource();
        var (seenB, pumpB) = Collect(subB, stop.Token);
        await swarm.ConnectAsync(0, 1);
        Assert.True(await PubsubTestSwarm.WaitUntilAsync(() => a.Router.MeshPeers(Topic).Count == 1, Limit));

        var attacker = swarm.Hosts[2];
        await attacker.DialAsync(swarm.Hosts[1].ListenAddresses[0].WithPeerId(b.LocalPeer));
        await using var raw = await attacker.OpenStreamAsync(b.LocalPeer, PubsubStreamTransport.Meshsub11);
        // The length prefix alone is over the limit, and B rejects it before reading a body. Only the prefix is sent:
        // any write after it races the reset it provokes (that race once failed this test with "stream reset").
        await raw.Output.WriteAsync(Varint.Encode((ulong)b.Router.Options.MaxRpcSize + 1));
        var ended = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var result = await raw.Input.ReadAsync();
                    raw.Input.AdvanceTo(result.Buffer.End);
                    if (result.IsCompleted)
                    {
                        return true;
                    }
                }
            }
            catch (Exception)
            {
                return true; // reset
            }
        });
        Assert.True(await ended.WaitAsync(Limit));

        await a.PublishAsync(Topic, "still fine"u8.ToArray());
        Assert.True(await PubsubTestSwarm.WaitUntilAsync(() => seenB.ContainsKey("still fine"), Limit));
        Assert.Contains(swarm.Hosts[1].ConnectedPeers, p => p == a.LocalPeer);
        stop.Cancel();
        await pumpB;
    }
}
