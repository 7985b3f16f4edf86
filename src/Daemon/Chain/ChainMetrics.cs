using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;

namespace P2P.Daemon.Chain;

/// <summary>
/// The meter <c>P2P.Daemon.Chain</c>: the chain's state observed when scraped — head height, the best height a peer
/// announced, whether the node is syncing, the miner's hash rate and nonces, the pools. The events (blocks, reorgs,
/// shares) are counted by the consensus library's own meter.
/// </summary>
public sealed class ChainMetrics(ChainNode node, IMeterFactory meters) : IHostedService
{
    public const string MeterName = "P2P.Daemon.Chain";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("p2p.chain.head.height", () => (long)node.State.Head.Height, "{block}", "Height of the main chain's tip");
        meter.CreateObservableGauge("p2p.chain.sync.target_height", () => (long)node.Sync.Progress.TargetHeight, "{block}", "Best height known from peers (the head height when caught up)");
        meter.CreateObservableGauge("p2p.chain.sync.active", () => node.Sync.Progress.IsSyncing ? 1 : 0, "1", "1 while a peer is known to be ahead and blocks are being fetched");
        meter.CreateObservableGauge("p2p.chain.pool.shares", () => node.Shares.Count, "{share}", "Shares waiting for a block");
        meter.CreateObservableGauge("p2p.chain.pool.transfers", () => node.Transfers.Count, "{transfer}", "Transfers waiting for a block");
        if (node.Miner is { } miner)
        {
            meter.CreateObservableGauge("p2p.mining.hash_rate", () => miner.Stats().HashesPerSecond, "{hash}/s", "work/1 nonces evaluated per second over the last window");
            meter.CreateObservableCounter("p2p.mining.nonces", () => miner.Stats().NoncesTried, "{nonce}", "work/1 nonces evaluated since start");
            meter.CreateObservableCounter("p2p.mining.shares.found", () => miner.Stats().SharesFound, "{share}", "Shares this node mined");
            meter.CreateObservableCounter("p2p.mining.blocks.found", () => miner.Stats().BlocksFound, "{block}", "Blocks this node mined");
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
