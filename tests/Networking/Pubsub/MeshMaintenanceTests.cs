using P2P.Networking.Pubsub;
using P2P.Networking.Pubsub.Protos;
using P2P.Simulation;

namespace P2P.Networking.Tests.Pubsub;

public class MeshMaintenanceTests
{
    private const string Topic = "p2pd/test/1";

    [Fact]
    public async Task OpportunisticGrafting_AddsBetterPeersWhenTheMeshMedianIsLow()
    {
        var network = new InMemoryPubsubNetwork();
        var good = new HashSet<string>();
        var options = InMemoryPubsubNetwork.LoopbackOptions();
        options.D = 3;
        options.DLow = 2;
        options.DHigh = 4;
        options.DScore = 1;
        options.DOut = 0;
        options.PruneBackoff = TimeSpan.FromSeconds(10); // the peers pruned when the mesh filled up are eligible again by tick 60
        options.Score.AppSpecificScore = peer => good.Contains(peer) ? 5 : 0; // weight 10: good peers score 50
        var node = network.AddNode(options);
        var peers = Enumerable.Range(0, 8).Select(_ => network.AddNode()).ToList();
        foreach (var peer in peers)
        {
            network.Connect(peer, node);
        }
        await network.RunAsync();
        node.Subscribe(Topic);
        foreach (var peer in peers)
        {
            peer.Subscribe(Topic);
        }
        await network.RunAsync();
        await network.HeartbeatAsync();
        var mesh = node.MeshPeers(Topic).ToHashSet();
        var outside = peers.Select(p => p.LocalPeer).Where(p => !mesh.Contains(p)).Take(2).ToList();
        foreach (var p in outside)
        {
            good.Add(p.ToString());
        }
        // Keep the other peers from grafting us meanwhile: only the node's own heartbeat matters here.
        for (var i = 1; i < options.OpportunisticGraftTicks - 1; i++)
        {
            network.Time.Advance(TimeSpan.FromSeconds(1));
            node.Heartbeat();
        }
        Assert.DoesNotContain(outside[0], node.MeshPeers(Topic));
        network.Time.Advance(TimeSpan.FromSeconds(1));
        node.Heartbeat(); // tick 60
        Assert.All(outside, p => Assert.Contains(p, node.MeshPeers(Topic)));
    }

    [Fact]
    public async Task DirectPeers_AlwaysGetMessagesButAreNeverMeshed()
    {
        var network = new InMemoryPubsubNetwork();
        var direct = network.AddNode();
        var options = InMemoryPubsubNetwork.LoopbackOptions();
        options.DirectPeers.Add(direct.LocalPeer.ToString());
        options.FloodPublish = false;
        var node = network.AddNode(options);
        var others = Enumerable.Range(0, 8).Select(_ => network.AddNode()).ToList();
        network.Connect(node, direct);
        foreach (var other in others)
        {
            network.Connect(node, other);
        }
        await network.RunAsync();
        node.Subscribe(Topic);
        direct.Subscribe(Topic);
        foreach (var other in others)
        {
            other.Subscribe(Topic);
        }
        await network.RunAsync();
        await network.HeartbeatAsync(3);
        Assert.DoesNotContain(direct.LocalPeer, node.MeshPeers(Topic));
        Assert.Contains(network.Sent, s => s.From == node.LocalPeer && s.To == direct.LocalPeer && s.Rpc.Control?.Prune.Count > 0);

        node.Publish(Topic, "to the direct peer too"u8);
        await network.RunAsync();
        Assert.Single(network.Received[direct.LocalPeer]);
    }

    [Fact]
    public async Task Heartbeat_KeepsOutboundPeersInTheMesh()
    {
        var network = new InMemoryPubsubNetwork();
        var options = InMemoryPubsubNetwork.LoopbackOptions();
        var node = network.AddNode(options);
        var inbound = Enumerable.Range(0, 10).Select(_ => network.AddNode()).ToList();
        var outbound = Enumerable.Range(0, 3).Select(_ => network.AddNode()).ToList();
        foreach (var peer in inbound)
        {
            network.Connect(peer, node);
        }
        foreach (var peer in outbound)
        {
            network.Connect(node, peer);
        }
        await network.RunAsync();
        foreach (var peer in inbound)
        {
            peer.Subscribe(Topic);
        }
        await network.RunAsync();
        node.Subscribe(Topic); // outbound peers have not subscribed yet: the mesh starts all inbound
        await network.RunAsync();
        Assert.DoesNotContain(node.MeshPeers(Topic), p => outbound.Any(o => o.LocalPeer == p));
        foreach (var peer in outbound)
        {
            peer.Subscribe(Topic);
        }
        await network.RunAsync();
        for (var i = 0; i < 3; i++)
        {
            network.Time.Advance(TimeSpan.FromSeconds(1));
            node.Heartbeat();
            await network.RunAsync();
        }
        var mesh = node.MeshPeers(Topic);
        Assert.True(mesh.Count(p => outbound.Any(o => o.LocalPeer == p)) >= options.DOut);
        Assert.InRange(mesh.Count, options.DLow, options.DHigh);
    }
}
