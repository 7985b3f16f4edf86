using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using P2P.Consensus.Encoding;
using P2P.Consensus.Gossip;
using P2P.Networking.Core;

namespace P2P.Daemon.Chain;

/// <summary>
/// Runs the chain service: refuses peers of other chains, joins the chain topics, then starts the miner. Registered
/// after the pubsub service, so gossipsub runs first and stops last.
/// </summary>
public sealed class ChainHostService(ChainNode node, ChainPeerGuard guard, IP2PHost host, ILogger<ChainHostService> logger) : IHostedService
{
    private readonly CancellationTokenSource _stop = new();
    private Task _mining = Task.CompletedTask;
    private Task _syncing = Task.CompletedTask;
    private IDisposable? _serving;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var chain = node.State;
        var head = chain.Head;
        logger.LogInformation("chain {Name} id {ChainId}: head {Height} {Hash}, state {Digest}",
            chain.Genesis.ChainName, Hashing.Hex(chain.ChainId), head.Height, Hashing.Short(head.Hash), Hashing.Short(chain.StateDigest()));
        guard.Start();
        // Blocks the synchroniser applies go straight to the chain: the intake brings the pools along.
        node.Sync.BlockApplied += OnSyncApplied;
        // A gossiped orphan or a new peer may mean we are behind: the synchroniser checks now instead of at its next poll.
        node.Gossip.OrphanReceived = (_, _) => node.Sync.Wake();
        host.PeerConnected += OnPeerConnected;
        _serving = node.Sync.Serve();
        node.Gossip.Start();
        // Loops run on the thread pool, so that no synchronous first step of theirs holds up the host's start.
        _syncing = Task.Run(() => node.Sync.RunAsync(_stop.Token), CancellationToken.None);
        if (node.Miner is { } miner) _mining = Task.Run(() => miner.RunAsync(_stop.Token), CancellationToken.None);
        else logger.LogInformation("mining is off (Mining:Enabled=false)");
        return Task.CompletedTask;
    }

    private void OnSyncApplied(P2P.Consensus.Blocks.Block block, P2P.Consensus.State.SubmitResult result)
    {
        node.Intake.RecordApplied(result.Hash, BlockSource.Sync);
        node.Intake.Observe();
    }

    private void OnPeerConnected(IConnection connection) => node.Sync.Wake();

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await _mining.WaitAsync(cancellationToken);
        await _syncing.WaitAsync(cancellationToken);
        host.PeerConnected -= OnPeerConnected;
        node.Sync.BlockApplied -= OnSyncApplied;
        _serving?.Dispose();
        await node.Gossip.DisposeAsync();
        guard.Dispose();
    }
}
