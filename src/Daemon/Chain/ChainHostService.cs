using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using P2P.Consensus.Encoding;

namespace P2P.Daemon.Chain;

/// <summary>
/// Runs the chain service: refuses peers of other chains, joins the chain topics, then starts the miner. Registered
/// after the pubsub service, so gossipsub runs first and stops last.
/// </summary>
public sealed class ChainHostService(ChainNode node, ChainPeerGuard guard, ILogger<ChainHostService> logger) : IHostedService
{
    private readonly CancellationTokenSource _stop = new();
    private Task _mining = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var chain = node.State;
        var head = chain.Head;
        logger.LogInformation("chain {Name} id {ChainId}: head {Height} {Hash}, state {Digest}",
            chain.Genesis.ChainName, Hashing.Hex(chain.ChainId), head.Height, Hashing.Short(head.Hash), Hashing.Short(chain.StateDigest()));
        guard.Start();
        node.Gossip.Start();
        if (node.Miner is { } miner) _mining = miner.RunAsync(_stop.Token);
        else logger.LogInformation("mining is off (Mining:Enabled=false)");
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await _mining.WaitAsync(cancellationToken);
        await node.Gossip.DisposeAsync();
        guard.Dispose();
    }
}
