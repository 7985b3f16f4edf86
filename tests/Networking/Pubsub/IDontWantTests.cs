using Google.Protobuf;
using P2P.Networking.Pubsub;
using P2P.Networking.Pubsub.Protos;
using P2P.Simulation;

namespace P2P.Networking.Tests.Pubsub;

public class IDontWantTests
{
    private const string Topic = "p2pd/test/1";

    private static async Task<(InMemoryPubsubNetwork Network, GossipsubRouter Origin, GossipsubRouter Relay, GossipsubRouter Sink)> LineAsync()
    {
        var network = new InMemoryPubsubNetwork();
        var origin = network.AddNode();
        var relay = network.AddNode();
        var sink = network.AddNode();
        network.Connect(origin, relay, GossipProtocol.Meshsub12);
        network.Connect(relay, sink, GossipProtocol.Meshsub12);
        foreach (var r in new[] { origin, relay, sink })
        {
            r.Subscribe(Topic);
        }
        await network.RunAsync();
        await network.HeartbeatAsync();
        return (network, origin, relay, sink);
    }

    [Fact]
    public async Task LargeMessage_TriggersIDontWantToOtherMeshPeersBeforeForwarding()
    {
        var (network, origin, relay, sink) = await LineAsync();
        var (id, _) = origin.Publish(Topic, new byte[1024]);
        await network.RunAsync();
        var idontwant = network.Sent.Where(s => s.From == relay.LocalPeer && s.Rpc.Control?.Idontwant.Count > 0).ToList();
        var sent = Assert.Single(idontwant);
        Assert.Equal(sink.LocalPeer, sent.To); // never to the peer it came from
        Assert.Equal(id.ToArray(), sent.Rpc.Control.Idontwant[0].MessageIDs[0].ToByteArray());
        Assert.Single(network.Received[sink.LocalPeer]);

        origin.Publish(Topic, new byte[100]); // below 512 bytes: no IDONTWANT
        await network.RunAsync();
        Assert.Single(network.Sent, s => s.From == relay.LocalPeer && s.Rpc.Control?.Idontwant.Count > 0);
    }

    [Fact]
    public async Task PeerThatSaidIDontWant_IsSkippedWhenForwarding()
    {
        var (network, origin, relay, sink) = await LineAsync();
        var (id, _) = origin.Publish(Topic, new byte[1024]);
        var rpc = new RPC { Control = new ControlMessage() };
        var idontwant = new ControlIDontWant();
        idontwant.MessageIDs.Add(ByteString.CopyFrom(id.ToArray()));
        rpc.Control.Idontwant.Add(idontwant);
        await relay.HandleRpcAsync(sink.LocalPeer, rpc);
        await network.RunAsync();
        Assert.Single(network.Received[relay.LocalPeer]);
        Assert.Empty(network.Received[sink.LocalPeer]);
        Assert.DoesNotContain(network.Sent, s => s.From == relay.LocalPeer && s.To == sink.LocalPeer && s.Rpc.Publish.Count > 0);
    }

    [Fact]
    public void IDontWant_EncodesAsSpecified()
    {
        var rpc = new RPC { Control = new ControlMessage() };
        var idontwant = new ControlIDontWant();
        idontwant.MessageIDs.Add(ByteString.CopyFrom(0xAB));
        rpc.Control.Idontwant.Add(idontwant);
        // control(3) { idontwant(5) { messageIDs(1) ab } }
        Assert.Equal("1a052a030a01ab", Convert.ToHexString(rpc.ToByteArray()).ToLowerInvariant());
    }
}
