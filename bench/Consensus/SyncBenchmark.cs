using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using P2P.Consensus.Blocks;
using P2P.Consensus.Genesis;
using P2P.Consensus.Simulation.Chain;
using P2P.Consensus.Sync;
using P2P.Networking.Host;
using P2P.Networking.Hosting;
using P2P.Networking.Identity;
using P2P.Networking.RequestResponse;

namespace P2P.Bench.Consensus;

/// <summary>
/// Sync speed (issue 13, acceptance 5): an empty node syncs a chain over a real loopback libp2p connection (TCP, Noise,
/// Yamux) from a node holding it, against applying the same blocks locally from memory in the same run.
/// </summary>
internal static class SyncBenchmark
{
    public static async Task RunAsync(GenesisConfig genesis, CoreChain source, IReadOnlyList<Block> blocks, string root)
    {
        long bytes = blocks.Sum(b => (long)b.EncodedLength);
        double megabytes = bytes / 1e6;

        // Baseline: the same blocks submitted from memory to a fresh chain (validation, ledger, LevelDB, no network),
        // measured before and after the sync and the better one kept, so machine noise does not favour either side.
        double localSeconds = ApplyLocally(genesis, blocks, Path.Combine(root, "sync-local-1"));

        await using var serverHost = await StartHostAsync();
        await using var clientHost = await StartHostAsync();
        using var target = CoreChain.Open(genesis, Path.Combine(root, "sync-target"));
        var server = Synchronizer(source, serverHost);
        using var serving = server.Serve();
        var client = Synchronizer(target, clientHost);
        clientHost.Peers.AddAddresses(serverHost.LocalPeerId, serverHost.ListenAddresses, TimeSpan.FromMinutes(10));
        await clientHost.DialAsync(serverHost.LocalPeerId);

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var last = blocks[^1].Hash();
        var watch = Stopwatch.StartNew();
        var running = client.RunAsync(stop.Token);
        while (!target.State.Head.Hash.AsSpan().SequenceEqual(last))
        {
            if (running.IsCompleted) throw new InvalidOperationException("the synchronizer stopped before catching up");
            stop.Token.ThrowIfCancellationRequested();
            await Task.Delay(TimeSpan.FromMilliseconds(2), stop.Token);
        }
        double syncSeconds = watch.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await running;
        if (!target.State.StateDigest().AsSpan().SequenceEqual(source.State.StateDigest())) throw new InvalidOperationException("synced state differs");

        localSeconds = Math.Min(localSeconds, ApplyLocally(genesis, blocks, Path.Combine(root, "sync-local-2")));
        Console.WriteLine($"[sync] {blocks.Count} blocks ({megabytes:F2} MB) over loopback libp2p in {syncSeconds:F2} s: " +
                          $"{blocks.Count / syncSeconds:F0} blocks/s, {megabytes / syncSeconds:F2} MB/s");
        Console.WriteLine($"[sync] applying them locally from memory (best of 2): {localSeconds:F2} s ({blocks.Count / localSeconds:F0} blocks/s); " +
                          $"sync takes {syncSeconds / localSeconds:F2}x the local apply time");
    }

    private static double ApplyLocally(GenesisConfig genesis, IReadOnlyList<Block> blocks, string directory)
    {
        using var local = CoreChain.Open(genesis, directory);
        var sw = Stopwatch.StartNew();
        foreach (var block in blocks)
            if (local.Submit(block, block.Header.Timestamp).Status != SubmitStatus.Accepted) throw new InvalidOperationException("a mined block was refused");
        return sw.Elapsed.TotalSeconds;
    }

    private static async Task<Libp2pHost> StartHostAsync()
    {
        var host = new Libp2pHost(Ed25519PrivateKey.Generate(), new NetworkOptions { ListenAddresses = ["/ip4/127.0.0.1/tcp/0"] });
        await host.StartAsync();
        return host;
    }

    private static ChainSynchronizer Synchronizer(CoreChain chain, Libp2pHost host) =>
        new(chain.State, new HostRequestResponseFactory(host), () => host.ConnectedPeers, host.Reputation, TimeProvider.System, NullLogger.Instance);
}
