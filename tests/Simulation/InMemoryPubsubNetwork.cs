using Google.Protobuf;
using Microsoft.Extensions.Time.Testing;
using P2P.Networking.Identity;
using P2P.Networking.Pubsub;
using P2P.Networking.Pubsub.Protos;

namespace P2P.Simulation;

/// <summary>
/// Routers wired together in memory: RPCs are queued (encoded and decoded, as on a wire) and delivered in order when the
/// test says so. For timed links (latency, loss, partitions) and request/response, see <see cref="SimulatedNetwork"/>.
/// </summary>
public sealed class InMemoryPubsubNetwork
{
    private readonly Queue<(PeerId From, PeerId To, byte[] Rpc)> _queue = new();
    private readonly Dictionary<PeerId, GossipsubRouter> _routers = [];
    private readonly HashSet<(PeerId, PeerId)> _links = [];

    public InMemoryPubsubNetwork(int seed = 1) => Random = new Random(seed);

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    public Random Random { get; }
    public List<(PeerId From, PeerId To, RPC Rpc)> Sent { get; } = [];
    public List<(PeerId From, PeerId Target)> ConnectRequests { get; } = [];
    public Dictionary<PeerId, List<PubsubMessage>> Received { get; } = [];

    /// <summary>When set, RPCs for which it returns true are lost.</summary>
    public Func<PeerId, PeerId, RPC, bool>? Drop { get; set; }

    public GossipsubRouter AddNode(GossipsubOptions? options = null)
    {
        var identity = new PubsubIdentity(Ed25519PrivateKey.Generate(Random));
        var transport = new Transport(this, identity.PeerId);
        var router = new GossipsubRouter(options ?? LoopbackOptions(), identity, transport, Time, new Random(Random.Next()));
        var received = new List<PubsubMessage>();
        Received[identity.PeerId] = received;
        router.Delivered = m => received.Add(m);
        _routers[identity.PeerId] = router;
        return router;
    }

    public static GossipsubOptions LoopbackOptions()
    {
        var options = new GossipsubOptions();
        options.Score.IPColocationFactorWeight = 0;
        return options;
    }

    /// <summary><paramref name="dialer"/> dialed <paramref name="listener"/>: outbound for the dialer, inbound for the listener.</summary>
    public void Connect(GossipsubRouter dialer, GossipsubRouter listener, GossipProtocol protocol = GossipProtocol.Meshsub11)
    {
        _links.Add((dialer.LocalPeer, listener.LocalPeer));
        _links.Add((listener.LocalPeer, dialer.LocalPeer));
        dialer.AddPeer(listener.LocalPeer, protocol, outbound: true, "127.0.0.1");
        listener.AddPeer(dialer.LocalPeer, protocol, outbound: false, "127.0.0.1");
        Announce(dialer, listener);
        Announce(listener, dialer);
    }

    /// <summary>What a stream transport writes first on its new outbound stream: the sender's subscriptions.</summary>
    private void Announce(GossipsubRouter from, GossipsubRouter to)
    {
        if (from.SubscriptionAnnouncement() is { } hello)
        {
            new Transport(this, from.LocalPeer).Send(to.LocalPeer, hello);
        }
    }

    public void Disconnect(GossipsubRouter a, GossipsubRouter b)
    {
        _links.Remove((a.LocalPeer, b.LocalPeer));
        _links.Remove((b.LocalPeer, a.LocalPeer));
        a.RemovePeer(b.LocalPeer);
        b.RemovePeer(a.LocalPeer);
    }

    public void ConnectAll(IReadOnlyList<GossipsubRouter> routers)
    {
        for (var i = 0; i < routers.Count; i++)
        {
            for (var j = i + 1; j < routers.Count; j++)
            {
                Connect(routers[i], routers[j]);
            }
        }
    }

    /// <summary>Delivers queued RPCs (and whatever they cause) until none is left.</summary>
    public async Task RunAsync(int maxRpcs = 1_000_000)
    {
        for (var n = 0; n < maxRpcs && _queue.TryDequeue(out var item); n++)
        {
            if (!_links.Contains((item.From, item.To)))
            {
                continue;
            }
            await _routers[item.To].HandleRpcAsync(item.From, RPC.Parser.ParseFrom(item.Rpc));
        }
    }

    /// <summary>Advances the clock by one heartbeat interval, beats every router and delivers the results.</summary>
    public async Task HeartbeatAsync(int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            foreach (var router in _routers.Values)
            {
                router.Heartbeat();
            }
            await RunAsync();
        }
    }

    private sealed class Transport(InMemoryPubsubNetwork network, PeerId self) : IPubsubTransport
    {
        public void Send(PeerId peer, RPC rpc)
        {
            network.Sent.Add((self, peer, rpc));
            if (network.Drop?.Invoke(self, peer, rpc) == true)
            {
                return;
            }
            network._queue.Enqueue((self, peer, rpc.ToByteArray()));
        }

        public void Connect(PeerId peer, byte[]? signedPeerRecord) => network.ConnectRequests.Add((self, peer));
    }
}
