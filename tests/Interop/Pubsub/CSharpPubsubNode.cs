using System.Collections.Concurrent;
using P2P.Networking.Host;
using P2P.Networking.Hosting;
using P2P.Networking.Identity;
using P2P.Networking.Multiformats;
using P2P.Networking.Pubsub;

namespace P2P.Interop.Tests.Pubsub;

/// <summary>A C# libp2p host on 127.0.0.1 running gossipsub, counting what it receives.</summary>
public sealed class CSharpPubsubNode : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(ISubscription Subscription, Task Pump)> _subscriptions = [];

    private CSharpPubsubNode(Libp2pHost host, Gossipsub pubsub)
    {
        Host = host;
        Pubsub = pubsub;
    }

    public Libp2pHost Host { get; }

    public Gossipsub Pubsub { get; }

    public string PeerId => Host.LocalPeerId.ToString();

    public string Address => Host.ListenAddresses[0].WithPeerId(Host.LocalPeerId).ToString();

    public ConcurrentDictionary<string, int> Received { get; } = new();

    public static GossipsubOptions LoopbackOptions()
    {
        var options = new GossipsubOptions();
        options.Score.IPColocationFactorWeight = 0;
        return options;
    }

    public static async Task<CSharpPubsubNode> StartAsync(GossipsubOptions? options = null, int seed = 0)
    {
        var host = new Libp2pHost(Ed25519PrivateKey.Generate(), new NetworkOptions { ListenAddresses = ["/ip4/127.0.0.1/tcp/0"] });
        await host.StartAsync();
        return new CSharpPubsubNode(host, Gossipsub.Create(host, options ?? LoopbackOptions(), random: new Random(seed)));
    }

    public Task DialAsync(string address) => Host.DialAsync(Multiaddr.Parse(address));

    public void Subscribe(string topic)
    {
        var subscription = Pubsub.Subscribe(topic);
        var pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in subscription.WithCancellation(_stop.Token))
                {
                    Received.AddOrUpdate(System.Text.Encoding.UTF8.GetString(message.Data.Span), 1, (_, n) => n + 1);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        _subscriptions.Add((subscription, pump));
    }

    public async Task<int> PublishAsync(string topic, string text) =>
        (await Pubsub.PublishAsync(topic, System.Text.Encoding.UTF8.GetBytes(text))).Peers;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var (subscription, pump) in _subscriptions)
        {
            await subscription.DisposeAsync();
            await pump;
        }
        await Pubsub.DisposeAsync();
        await Host.DisposeAsync();
    }
}
