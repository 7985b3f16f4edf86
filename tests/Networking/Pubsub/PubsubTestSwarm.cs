using P2P.Networking.Host;
using P2P.Networking.Hosting;
using P2P.Networking.Pubsub;
using P2P.Networking.Tests.Host;
using P2P.Testing;

namespace P2P.Networking.Tests.Pubsub;

/// <summary>Real libp2p hosts on 127.0.0.1 each running gossipsub, for socket-level pubsub tests.</summary>
internal sealed class PubsubTestSwarm : IAsyncDisposable
{
    public List<Libp2pHost> Hosts { get; } = [];
    public List<Gossipsub> Nodes { get; } = [];

    public static GossipsubOptions Options()
    {
        var options = new GossipsubOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(200) };
        options.Score.IPColocationFactorWeight = 0;
        return options;
    }

    public async Task<Gossipsub> AddAsync(GossipsubOptions? options = null, Action<NetworkOptions>? network = null)
    {
        var host = await TestHosts.StartAsync(network);
        var node = Gossipsub.Create(host, options ?? Options(), random: new Random(Nodes.Count + 1));
        Hosts.Add(host);
        Nodes.Add(node);
        return node;
    }

    public Task ConnectAsync(int dialer, int listener) =>
        Hosts[dialer].DialAsync(Hosts[listener].ListenAddresses[0].WithPeerId(Hosts[listener].LocalPeerId));

    /// <summary>Polls until the condition holds; false when the time runs out.</summary>
    public static Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan limit) => Wait.UntilAsync(condition, limit);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
        foreach (var host in Hosts)
        {
            await host.DisposeAsync();
        }
    }
}
