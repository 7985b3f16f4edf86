using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2P.Networking.Discovery;
using P2P.Networking.Host;
using P2P.Networking.Pubsub;

namespace P2P.Daemon.Pubsub;

/// <summary>Registers gossipsub (as <see cref="IPubSub"/> and <see cref="Gossipsub"/>), the Kademlia DHT and their hosted service.</summary>
public static class DaemonPubsubExtensions
{
    /// <summary>Room for a message's envelope (signature, key, seqno, topic) and control data in one RPC.</summary>
    private const int RpcOverheadBytes = 64 << 10;

    public static IServiceCollection AddDaemonPubsub(this IServiceCollection services, PubsubOptions pubsub, DiscoveryOptions discovery)
    {
        var gossipsub = ToGossipsubOptions(pubsub);
        var kademlia = ToKademliaOptions(discovery);
        services.AddSingleton(gossipsub);
        services.AddSingleton(kademlia);
        services.AddSingleton(provider => Gossipsub.Create(
            provider.GetRequiredService<Libp2pHost>(),
            gossipsub,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("P2P.Networking.Pubsub"),
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IPubSub>(provider => provider.GetRequiredService<Gossipsub>());
        services.AddSingleton(provider => new KademliaDht(
            provider.GetRequiredService<Libp2pHost>(),
            kademlia,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("P2P.Networking.Discovery")));
        services.AddHostedService<PubsubHostService>();
        return services;
    }

    public static GossipsubOptions ToGossipsubOptions(PubsubOptions pubsub)
    {
        var options = new GossipsubOptions
        {
            D = pubsub.D,
            DLow = pubsub.DLow,
            DHigh = pubsub.DHigh,
            DLazy = pubsub.DLazy,
            DScore = pubsub.DScore,
            DOut = pubsub.DOut,
            HeartbeatInterval = TimeSpan.FromMilliseconds(pubsub.HeartbeatIntervalMs),
            FloodPublish = pubsub.FloodPublish,
            DoPeerExchange = pubsub.DoPeerExchange,
            MaxMessageSize = pubsub.MaxMessageSize,
        };
        // A larger message limit needs a larger RPC limit, or such messages would reset the stream they arrive on.
        options.MaxRpcSize = Math.Max(options.MaxRpcSize, pubsub.MaxMessageSize + RpcOverheadBytes);
        options.Score.IPColocationFactorWeight = pubsub.IPColocationFactorWeight;
        options.Score.IPColocationFactorThreshold = pubsub.IPColocationFactorThreshold;
        options.Thresholds.GossipThreshold = pubsub.GossipThreshold;
        options.Thresholds.PublishThreshold = pubsub.PublishThreshold;
        options.Thresholds.GraylistThreshold = pubsub.GraylistThreshold;
        return options;
    }

    public static KademliaOptions ToKademliaOptions(DiscoveryOptions discovery) => new()
    {
        TargetPeers = discovery.TargetPeers,
        DiscoveryInterval = TimeSpan.FromSeconds(discovery.DiscoveryIntervalSeconds),
        RefreshInterval = TimeSpan.FromSeconds(discovery.RandomWalkIntervalSeconds),
        K = discovery.K,
        Alpha = discovery.Alpha,
        QueryTimeout = TimeSpan.FromSeconds(discovery.QueryTimeoutSeconds),
    };
}
