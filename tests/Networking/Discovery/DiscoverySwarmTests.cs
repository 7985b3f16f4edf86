using System.Collections.Concurrent;
using P2P.Networking.Discovery;
using P2P.Networking.Host;
using P2P.Networking.Hosting;
using P2P.Networking.Identity;
using P2P.Networking.Pubsub;
using P2P.Networking.Tests.Pubsub;

namespace P2P.Networking.Tests.Discovery;

public sealed class DiscoverySwarmTests
{
    private const string Topic = "p2pd/test/1";

    /// <summary>One swarm member: host, gossipsub, DHT and discovery, with what it received.</summary>
    private sealed class Member : IAsyncDisposable
    {
        public required Libp2pHost Host { get; init; }
        public required Gossipsub Pubsub { get; init; }
        public required KademliaDht Dht { get; init; }
        public required PeerDiscovery Discovery { get; init; }
        public required ISubscription Subscription { get; init; }
        public ConcurrentDictionary<string, int> Received { get; } = new();
        public Task Pump { get; set; } = Task.CompletedTask;
        public bool Stopped { get; private set; }

        public async ValueTask DisposeAsync()
        {
            if (Stopped)
            {
                return;
            }
            Stopped = true;
            await Discovery.DisposeAsync();
            await Dht.DisposeAsync();
            await Subscription.DisposeAsync();
            await Pump;
            await Pubsub.DisposeAsync();
            await Host.DisposeAsync();
        }
    }

    private static async Task<Member> StartAsync(int index, string? bootstrap)
    {
        var network = new NetworkOptions { ListenAddresses = ["/ip4/127.0.0.1/tcp/0"], DialBackoffBase = TimeSpan.FromMilliseconds(500) };
        if (bootstrap is not null)
        {
            network.BootstrapPeers.Add(bootstrap);
        }
        var host = new Libp2pHost(Ed25519PrivateKey.Generate(new Random(1000 + index)), network);
        var kad = new KademliaOptions { DiscoveryInterval = TimeSpan.FromMilliseconds(500), RefreshInterval = TimeSpan.FromSeconds(3), TargetPeers = 6 };
        var dht = new KademliaDht(host, kad);
        dht.Start();
        var options = PubsubTestSwarm.Options();
        var pubsub = Gossipsub.Create(host, options, random: new Random(index));
        var subscription = pubsub.Subscribe(Topic);
        await host.StartAsync();
        var discovery = new PeerDiscovery(host, dht, kad, random: new Random(index));
        discovery.Start();
        var member = new Member { Host = host, Pubsub = pubsub, Dht = dht, Discovery = discovery, Subscription = subscription };
        member.Pump = Task.Run(async () =>
        {
            await foreach (var message in subscription)
            {
                member.Received.AddOrUpdate(System.Text.Encoding.UTF8.GetString(message.Data.Span), 1, (_, n) => n + 1);
            }
        });
        return member;
    }

    [Fact]
    public async Task TwelveNodesBootstrappedFromOne_FindEachOtherAndSurviveLosingFour()
    {
        var members = new List<Member>();
        try
        {
            members.Add(await StartAsync(0, null));
            var bootstrap = members[0].Host.ListenAddresses[0].WithPeerId(members[0].Host.LocalPeerId).ToString();
            for (var i = 1; i < 12; i++)
            {
                members.Add(await StartAsync(i, bootstrap));
            }
            Assert.True(await PubsubTestSwarm.WaitUntilAsync(() => members.All(m =>
                m.Host.ConnectedPeers.Count >= 4 && m.Pubsub.Router.MeshPeers(Topic).Count >= 1), TimeSpan.FromSeconds(20)),
                string.Join(" ", members.Select(m => $"{m.Host.ConnectedPeers.Count}/{m.Pubsub.Router.MeshPeers(Topic).Count}")));
            Assert.True(await PubsubTestSwarm.WaitUntilAsync(() => members.All(m => m.Dht.Table.Count >= 4), TimeSpan.FromSeconds(5)));

            foreach (var victim in members.Skip(1).Take(4).ToList())
            {
                await victim.DisposeAsync();
            }
            var alive = members.Where(m => !m.Stopped).ToList();
            Assert.True(await PubsubTestSwarm.WaitUntilAsync(() => alive.All(m =>
                m.Pubsub.Router.MeshPeers(Topic).Count >= 1 && m.Host.ConnectedPeers.All(p => alive.Any(a => a.Host.LocalPeerId == p))),
                TimeSpan.FromSeconds(20)));
            for (var i = 0; i < 40; i++)
            {
                await alive[i % alive.Count].Pubsub.PublishAsync(Topic, System.Text.Encoding.UTF8.GetBytes($"after-{i}"));
            }
            Assert.True(await PubsubTestSwarm.WaitUntilAsync(() => alive.All(m => m.Received.Count == 40 - 40 / alive.Count), TimeSpan.FromSeconds(20)),
                string.Join(" ", alive.Select(m => m.Received.Count)));
            Assert.All(alive, m => Assert.All(m.Received.Values, n => Assert.Equal(1, n)));
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }
}
