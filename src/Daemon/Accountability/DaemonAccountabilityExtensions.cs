using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2P.Accountability.Health;
using P2P.Accountability.Receipts;
using P2P.Consensus.Blocks;
using P2P.Consensus.State;
using P2P.Daemon.Chain;
using P2P.Daemon.Gateway;
using P2P.InferenceNetwork.Receipts;
using P2P.InferenceNetwork.Routing;
using P2P.Networking.Identity;
using P2P.Storage;

namespace P2P.Daemon.Accountability;

/// <summary>
/// Registers accountability when a chain runs: the executor's receipt issuer and record store and the gateway's receipt
/// collector are set on the <see cref="InferenceRuntime"/> before it starts; routing weights become <see cref="AccountableWeights"/>;
/// the hosted service serves <c>/p2pd/validate/1</c>, declares served spans and validates.
/// </summary>
public static class DaemonAccountabilityExtensions
{
    public static IServiceCollection AddDaemonAccountability(this IServiceCollection services, ChainState? chain, AccountabilityOptions options, PrivateKey nodeKey)
    {
        if (chain is null || !options.Enabled || nodeKey is not Ed25519PrivateKey key) return services;
        // Convictions scale the epoch weights the gateway registered for a node with a chain.
        services.AddSingleton(provider => new AccountableWeights(provider.GetRequiredService<ChainExecutorWeights>()));
        services.AddSingleton<IExecutorWeights>(provider => provider.GetRequiredService<AccountableWeights>());
        // The records live in the node's database too: a restarted executor still shows validators what it signed.
        services.AddSingleton(provider => new AccountabilityRuntime(new ReceiptLog(), new SpanRecordStore(options.MaxRecords, (long)options.MaxRecordMegabytes << 20,
            provider.GetRequiredService<TimeProvider>(),
            new LevelDbSpanRecordArchive(provider.GetRequiredService<RecordStore>(), provider.GetRequiredService<ILoggerFactory>().CreateLogger("P2P.Accountability.Records"))),
            provider.GetRequiredService<AccountableWeights>()));
        services.AddHostedService(provider =>
        {
            var runtime = provider.GetRequiredService<InferenceRuntime>();
            var accountability = provider.GetRequiredService<AccountabilityRuntime>();
            var time = provider.GetRequiredService<TimeProvider>();
            var loggers = provider.GetRequiredService<ILoggerFactory>();
            var node = provider.GetRequiredService<ChainNode>();
            runtime.Accounting = new ExecutorAccounting
            {
                Issuer = new ChainReceiptIssuer(chain, key, () => node.Sync.Progress.TargetHeight),
                Records = accountability.Records,
                RecordLifetime = TimeSpan.FromMinutes(options.RecordMinutes),
                Cheat = options.Cheat == P2P.InferenceNetwork.Cheats.ExecutorCheat.LieInvalid ? P2P.InferenceNetwork.Cheats.ExecutorCheat.None : options.Cheat,
            };
            Func<Receipt, CancellationToken, ValueTask> publish = async (r, ct) => await node.Gossip.PublishReceiptAsync(r, ct).ConfigureAwait(false);
            var receiptLogger = loggers.CreateLogger("P2P.Accountability.Receipts");
            accountability.Republisher = new ReceiptRepublisher(chain, publish, new RepublishPolicy(options.RepublishCapacity, options.RepublishAfterBlocks, options.RepublishMaxWaitBlocks), receiptLogger);
            var collector = new ReceiptCollector(chain, publish, accountability.Receipts, time, receiptLogger, accountability.Republisher);
            runtime.ReceiptSink = collector.Collect;
            return ActivatorUtilities.CreateInstance<AccountabilityHostService>(provider, key, options);
        });
        return services;
    }
}
