using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2P.Consensus.Gossip;
using P2P.Consensus.Mining;
using P2P.Consensus.Pools;
using P2P.Consensus.State;
using P2P.Consensus.Sync;
using P2P.Daemon.Configuration;
using P2P.Networking.Core;
using P2P.Networking.Identity;
using P2P.Networking.Pubsub;
using P2P.Networking.RequestResponse;

namespace P2P.Daemon.Chain;

/// <summary>Registers the chain service (state, pools, gossip, peer guard) and the miner, when a chain is configured.</summary>
public static class DaemonChainExtensions
{
    public static IServiceCollection AddChain(this IServiceCollection services, ChainState? chain, MiningOptions mining, PrivateKey nodeKey)
    {
        if (chain is null) return services;
        if (nodeKey is not Ed25519PrivateKey signingKey) throw new ConfigurationException("node key", "the chain needs an Ed25519 node key");
        var rewardKey = string.IsNullOrEmpty(mining.RewardKey) ? signingKey.PublicKey.Raw.ToArray() : Convert.FromHexString(mining.RewardKey);
        services.AddSingleton(chain);
        services.AddSingleton(provider =>
        {
            var loggers = provider.GetRequiredService<ILoggerFactory>();
            var time = provider.GetRequiredService<TimeProvider>();
            var shares = new SharePool(PoolLimits.Shares);
            var transfers = new TransferPool(PoolLimits.Transfers);
            var accountability = new AccountabilityPool(PoolLimits.Accountability);
            var intake = new BlockIntake(chain, shares, transfers, accountability, time, loggers.CreateLogger("P2P.Consensus.Chain"));
            var gossip = new ChainGossip(provider.GetRequiredService<IPubSub>(), intake, shares, transfers, accountability, time, loggers.CreateLogger("P2P.Consensus.Gossip"));
            var miner = mining.Enabled
                ? new MinerService(intake, gossip, shares, transfers, accountability, new MinerSettings(rewardKey, mining.EffectiveThreads), time, loggers.CreateLogger("P2P.Consensus.Mining"))
                : null;
            var host = provider.GetRequiredService<P2P.Networking.Host.Libp2pHost>();
            var sync = new ChainSynchronizer(chain, new HostRequestResponseFactory(host, loggers), () => host.ConnectedPeers, host.Reputation, time, loggers.CreateLogger("P2P.Consensus.Sync"));
            return new ChainNode(chain, shares, transfers, accountability, intake, gossip, miner, sync, rewardKey, signingKey);
        });
        services.AddSingleton(provider => new ChainPeerGuard(
            provider.GetRequiredService<IP2PHost>(),
            provider.GetRequiredService<P2P.Networking.Host.Libp2pHost>().Reputation,
            chain.ChainId,
            provider.GetRequiredService<ILogger<ChainPeerGuard>>()));
        services.AddHostedService<ChainHostService>();
        services.AddHostedService<ChainMetrics>();
        return services;
    }
}
