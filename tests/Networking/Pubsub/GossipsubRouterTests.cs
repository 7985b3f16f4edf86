using P2P.Networking.Pubsub;
using P2P.Networking.Pubsub.Protos;
using P2P.Simulation;

namespace P2P.Networking.Tests.Pubsub;

public class GossipsubRouterTests
{
    private const string Topic = "p2pd/test/1";

    private static async Task<List<GossipsubRouter>> FullMeshAsync(InMemoryPubsubNetwork network, int count, Func<GossipsubOptions>? options = null)
    {
        var routers = Enumerable.Range(0, count).Select(_ => network.AddNode(options?.Invoke())).ToList();
        network.ConnectAll(routers);
        foreach (var router in routers)
        {
            router.Subscribe(Topic);
        }
        await network.RunAsync();
        return routers;
    }

    [Fact]
    public async Task Meshes_StayWithinBoundsAfterHeartbeats()
    {
        var network = new InMemoryPubsubNetwork();
        var routers = await FullMeshAsync(network, 24);
        await network.HeartbeatAsync(5);
        foreach (var router in routers)
        {
            var mesh = router.MeshPeers(Topic).Count;
            Assert.InRange(mesh, router.Options.DLow, router.Options.DHigh);
        }
        // Mesh membership is symmetric once GRAFT/PRUNE settle.
        foreach (var router in routers)
        {
            foreach (var peer in router.MeshPeers(Topic))
            {
                Assert.Contains(router.LocalPeer, routers.Single(r => r.LocalPeer == peer).MeshPeers(Topic));
            }
        }
    }

    [Fact]
    public async Task OversubscribedMesh_IsPrunedBackToD()
    {
        var network = new InMemoryPubsubNetwork();
        var hub = network.AddNode();
        hub.Subscribe(Topic);
        var spokes = Enumerable.Range(0, 20).Select(_ => network.AddNode()).ToList();
        foreach (var spoke in spokes)
        {
            network.Connect(hub, spoke); // outbound from the hub: the hub accepts every GRAFT
        }
        await network.RunAsync();
        foreach (var spoke in spokes)
        {
            spoke.Subscribe(Topic);
        }
        await network.RunAsync();
        Assert.Equal(20, hub.MeshPeers(Topic).Count);
        await network.HeartbeatAsync();
        Assert.Equal(hub.Options.D, hub.MeshPeers(Topic).Count);
        var pruned = network.Sent.Where(s => s.From == hub.LocalPeer && s.Rpc.Control?.Prune.Count > 0).ToList();
        Assert.Equal(20 - hub.Options.D, pruned.Count);
        Assert.All(pruned, p => Assert.Equal(60ul, p.Rpc.Control.Prune[0].Backoff));
    }

    [Fact]
    public async Task PrunedPeer_RespectsBackoffAndGraftDuringBackoffIsPenalised()
    {
        var network = new InMemoryPubsubNetwork();
        var a = network.AddNode();
        var b = network.AddNode();
        network.Connect(a, b);
        a.Subscribe(Topic);
        await network.RunAsync();
        b.Subscribe(Topic); // b knows a's subscription, so it grafts a at once
        await network.RunAsync();
        Assert.Contains(b.LocalPeer, a.MeshPeers(Topic));

        a.Unsubscribe(Topic);
        a.Subscribe(Topic); // a re-joins; b is in a's backoff (10 s unsubscribe backoff)
        await network.RunAsync();
        Assert.DoesNotContain(b.LocalPeer, a.MeshPeers(Topic));
        Assert.True(b.IsBackedOff(Topic, a.LocalPeer));
        await network.HeartbeatAsync(5);
        Assert.Empty(b.MeshPeers(Topic)); // b's mesh is below D_lo but a is still backed off
        Assert.Empty(a.MeshPeers(Topic));

        // A GRAFT sent anyway is answered with PRUNE and costs behaviour penalty.
        var graft = new RPC { Control = new ControlMessage() };
        graft.Control.Graft.Add(new ControlGraft { TopicID = Topic });
        var before = network.Sent.Count;
        await a.HandleRpcAsync(b.LocalPeer, graft);
        Assert.Contains(network.Sent.Skip(before), s => s.From == a.LocalPeer && s.Rpc.Control?.Prune.Count > 0);
        Assert.True(a.GetScore(b.LocalPeer) < 0);

        await network.HeartbeatAsync(10); // both backoffs (10 s + slack, refreshed 60 s) run out only later
        Assert.Empty(b.MeshPeers(Topic));
        await network.HeartbeatAsync(60);
        Assert.Equal((false, false, 0.0, 0.0, 1), (a.IsBackedOff(Topic, b.LocalPeer), b.IsBackedOff(Topic, a.LocalPeer), a.GetScore(b.LocalPeer), b.GetScore(a.LocalPeer), b.TopicPeers(Topic).Count));
        Assert.Contains(a.LocalPeer, b.MeshPeers(Topic));
    }

    [Fact]
    public async Task DroppedMessage_IsRecoveredThroughIHaveAndIWant()
    {
        var network = new InMemoryPubsubNetwork();
        var routers = await FullMeshAsync(network, 8, () =>
        {
            var options = InMemoryPubsubNetwork.LoopbackOptions();
            options.D = 2;
            options.DLow = 1;
            options.DHigh = 3;
            options.DScore = 1;
            options.DOut = 0;
            options.FloodPublish = false;
            return options;
        });
        await network.HeartbeatAsync(3);
        var victim = routers[^1];
        network.Drop = (_, to, rpc) => to == victim.LocalPeer && rpc.Publish.Count > 0;
        var publisher = routers[0];
        publisher.Publish(Topic, "lost once"u8);
        await network.RunAsync();
        Assert.Empty(network.Received[victim.LocalPeer]);
        Assert.All(routers.Skip(1).SkipLast(1), r => Assert.Single(network.Received[r.LocalPeer]));

        network.Drop = null;
        await network.HeartbeatAsync();
        Assert.Single(network.Received[victim.LocalPeer]);
        Assert.Equal("lost once"u8.ToArray(), network.Received[victim.LocalPeer][0].Data.ToArray());
        Assert.Contains(network.Sent, s => s.From == victim.LocalPeer && s.Rpc.Control?.Iwant.Count > 0);
        await network.HeartbeatAsync(3);
        Assert.Single(network.Received[victim.LocalPeer]); // later gossip does not deliver it again
    }

    [Fact]
    public async Task Prune_CarriesPeerExchangeFollowedOnlyFromWellScoredPeers()
    {
        var network = new InMemoryPubsubNetwork();
        var options = InMemoryPubsubNetwork.LoopbackOptions();
        options.D = 2;
        options.DLow = 1;
        options.DHigh = 2;
        var hub = network.AddNode(options);
        hub.Subscribe(Topic);
        var members = Enumerable.Range(0, 4).Select(_ => network.AddNode()).ToList();
        foreach (var member in members)
        {
            network.Connect(member, hub);
        }
        await network.RunAsync();
        foreach (var member in members)
        {
            member.Subscribe(Topic);
        }
        await network.RunAsync();
        Assert.Equal(2, hub.MeshPeers(Topic).Count);

        var trusting = InMemoryPubsubNetwork.LoopbackOptions();
        trusting.Thresholds.AcceptPXThreshold = 0;
        var newcomer = network.AddNode(trusting);
        network.Connect(newcomer, hub);
        await network.RunAsync();
        newcomer.Subscribe(Topic);
        await network.RunAsync();

        var prune = network.Sent.Last(s => s.From == hub.LocalPeer && s.To == newcomer.LocalPeer && s.Rpc.Control?.Prune.Count > 0).Rpc.Control.Prune[0];
        Assert.Equal(4, prune.Peers.Count);
        var offered = network.ConnectRequests.Where(c => c.From == newcomer.LocalPeer).Select(c => c.Target).ToHashSet();
        Assert.Equal(members.Select(m => m.LocalPeer).ToHashSet(), offered);

        var wary = network.AddNode(); // default acceptPX threshold 10: a zero-score hub is not followed
        network.Connect(wary, hub);
        await network.RunAsync();
        wary.Subscribe(Topic);
        await network.RunAsync();
        Assert.Contains(network.Sent, s => s.From == hub.LocalPeer && s.To == wary.LocalPeer && s.Rpc.Control?.Prune.Count > 0);
        Assert.DoesNotContain(network.ConnectRequests, c => c.From == wary.LocalPeer);
    }

    [Fact]
    public async Task Messages_ReachEveryNodeOnceThroughTheMesh()
    {
        var network = new InMemoryPubsubNetwork();
        var routers = await FullMeshAsync(network, 16, () =>
        {
            var options = InMemoryPubsubNetwork.LoopbackOptions();
            options.FloodPublish = false;
            return options;
        });
        await network.HeartbeatAsync(2);
        for (var i = 0; i < 20; i++)
        {
            routers[i % routers.Count].Publish(Topic, BitConverter.GetBytes(i));
        }
        await network.RunAsync();
        foreach (var router in routers)
        {
            var own = routers.IndexOf(router);
            var expected = Enumerable.Range(0, 20).Count(i => i % routers.Count != own);
            Assert.Equal(expected, network.Received[router.LocalPeer].Count);
            Assert.Equal(expected, network.Received[router.LocalPeer].Select(m => m.Id).Distinct().Count());
        }
    }

    [Fact]
    public async Task Fanout_PublishesWithoutSubscribingAndExpires()
    {
        var network = new InMemoryPubsubNetwork();
        var options = InMemoryPubsubNetwork.LoopbackOptions();
        options.FloodPublish = false;
        var publisher = network.AddNode(options);
        var subscribers = Enumerable.Range(0, 10).Select(_ => network.AddNode()).ToList();
        foreach (var s in subscribers)
        {
            network.Connect(publisher, s);
            s.Subscribe(Topic);
        }
        await network.RunAsync();
        var (_, sentTo) = publisher.Publish(Topic, "via fanout"u8);
        Assert.Equal(options.D, sentTo);
        Assert.Equal(options.D, publisher.Topics().Single(t => t.Topic == Topic).Fanout.Count);
        await network.RunAsync();
        await network.HeartbeatAsync(61);
        Assert.Empty(publisher.Topics().Single(t => t.Topic == Topic).Fanout);
    }
}
