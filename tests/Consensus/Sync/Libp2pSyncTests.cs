using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P2P.Consensus.Sync;
using P2P.Consensus.Tests.Support;
using P2P.Networking.Host;
using P2P.Networking.Hosting;
using P2P.Networking.Identity;
using P2P.Networking.RequestResponse;
using P2P.Testing;

namespace P2P.Consensus.Tests.Sync;

/// <summary>Sync over real libp2p hosts on 127.0.0.1 (TCP, Noise, Yamux, multistream), with an honest server, one that floods and one of another chain.</summary>
public sealed class Libp2pSyncTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static async Task<Libp2pHost> StartHostAsync()
    {
        var host = new Libp2pHost(Ed25519PrivateKey.Generate(), new NetworkOptions { ListenAddresses = ["/ip4/127.0.0.1/tcp/0"] });
        await host.StartAsync();
        return host;
    }

    private static ChainSynchronizer Synchronizer(TestChain chain, Libp2pHost host, SyncOptions? options = null, RecordingLogger? log = null) =>
        new(chain.Chain, new HostRequestResponseFactory(host), () => host.ConnectedPeers, host.Reputation, TimeProvider.System, (ILogger?)log ?? NullLogger.Instance, options);

    [Fact]
    public async Task Sync_CatchesUpOverRealHosts_AndBansPeersSendingOversizedAnswersOrAnotherChain()
    {
        var blocks = SyncFixtures.MineChain(60);
        await using var serverHost = await StartHostAsync();
        await using var flooderHost = await StartHostAsync();
        await using var strangerHost = await StartHostAsync();
        await using var clientHost = await StartHostAsync();
        using var strangerChain = new TestChain(TestChain.EasyGenesis("another-chain"));
        strangerChain.Extend(3, TestChain.Key(5));
        using var strangerServing = Synchronizer(strangerChain, strangerHost).Serve();
        using var serverChain = new TestChain();
        using var clientChain = new TestChain();
        foreach (var block in blocks) Assert.False(serverChain.Submit(block).IsInvalid);

        using var serving = Synchronizer(serverChain, serverHost).Serve();
        var raw = new RequestResponseDefinition<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>(
            SyncLimits.ProtocolId, new RawBytesCodec(SyncLimits.MaxRequestBytes), new RawBytesCodec(16 << 20));
        using var flooding = new HostRequestResponseFactory(flooderHost).Create(raw).Serve((_, _, _) => Task.FromResult<ReadOnlyMemory<byte>>(new byte[3 << 20]));
        var log = new RecordingLogger();
        var client = Synchronizer(clientChain, clientHost, new SyncOptions { BodiesPerRequest = 8 }, log);
        using var clientServing = client.Serve();
        foreach (var other in new[] { serverHost, flooderHost, strangerHost })
        {
            clientHost.Peers.AddAddresses(other.LocalPeerId, other.ListenAddresses, TimeSpan.FromMinutes(1));
            await clientHost.DialAsync(other.LocalPeerId);
        }

        using var stop = new CancellationTokenSource();
        var running = client.RunAsync(stop.Token);
        var target = blocks[^1].Hash();
        Assert.True(await Wait.UntilAsync(() => clientChain.Chain.Head.Hash.AsSpan().SequenceEqual(target), Limit), $"stuck at {clientChain.Chain.Head.Height}");
        Assert.Equal(serverChain.Chain.StateDigest(), clientChain.Chain.StateDigest());
        Assert.True(clientHost.Reputation.IsBanned(flooderHost.LocalPeerId));
        Assert.True(await Wait.UntilAsync(() => !clientHost.ConnectedPeers.Contains(flooderHost.LocalPeerId), Limit));
        Assert.False(clientHost.Reputation.IsBanned(serverHost.LocalPeerId));
        // A node of another chain id is refused by the status exchange, banned and disconnected; its own chain is untouched.
        Assert.True(clientHost.Reputation.IsBanned(strangerHost.LocalPeerId), log.ToString());
        Assert.True(await Wait.UntilAsync(() => !clientHost.ConnectedPeers.Contains(strangerHost.LocalPeerId), Limit));
        Assert.Equal(3UL, strangerChain.Chain.Head.Height);
        Assert.True(clientHost.Reputation.ApplicationScore(flooderHost.LocalPeerId) < 0);

        stop.Cancel();
        await running.WaitAsync(Limit);
        Assert.Equal(SyncState.Idle, client.Progress.State);
    }
}
