using P2P.Networking.Core;
using P2P.Networking.Host;
using P2P.Networking.Hosting;
using P2P.Networking.Identity;
using P2P.Networking.Multiformats;

namespace P2P.Networking.Tests.Host;

public sealed class HostFeatureTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task IdentifyPush_TellsConnectedPeersAboutANewHandler()
    {
        await using var a = await TestHosts.StartAsync();
        await using var b = await TestHosts.StartAsync();
        var connection = await a.DialAsync(b.ListenAddresses[0].WithPeerId(b.LocalPeerId)).WaitAsync(Limit);
        await a.Identify.WaitIdentifiedAsync(connection).WaitAsync(Limit);
        var pushed = new TaskCompletionSource<IdentifyInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        a.PeerIdentified += info =>
        {
            if (info.Protocols.Contains("/meshsub/1.1.0"))
            {
                pushed.TrySetResult(info);
            }
        };
        b.SetStreamHandler("/meshsub/1.1.0", (stream, ct) => Task.CompletedTask);
        var info = await pushed.Task.WaitAsync(Limit);
        Assert.Equal(b.LocalPeerId, info.Peer);
        Assert.Contains("/meshsub/1.1.0", a.Peers.GetProtocols(b.LocalPeerId));
        b.RemoveStreamHandler("/meshsub/1.1.0");
        var deadline = DateTime.UtcNow + Limit;
        while (a.Peers.GetProtocols(b.LocalPeerId).Contains("/meshsub/1.1.0"))
        {
            Assert.True(DateTime.UtcNow < deadline, "removal was not pushed");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Events_ReportConnectIdentifyAndDisconnect()
    {
        await using var a = await TestHosts.StartAsync();
        await using var b = await TestHosts.StartAsync();
        var connected = new TaskCompletionSource<IConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        var identified = new TaskCompletionSource<IdentifyInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        var disconnected = new TaskCompletionSource<PeerId>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.PeerConnected += c => connected.TrySetResult(c);
        b.PeerIdentified += i => identified.TrySetResult(i);
        b.PeerDisconnected += p => disconnected.TrySetResult(p);
        await a.DialAsync(b.ListenAddresses[0].WithPeerId(b.LocalPeerId)).WaitAsync(Limit);
        Assert.Equal(a.LocalPeerId, (await connected.Task.WaitAsync(Limit)).RemotePeer);
        Assert.Equal(a.LocalPeerId, (await identified.Task.WaitAsync(Limit)).Peer);
        await a.DisconnectAsync(b.LocalPeerId).WaitAsync(Limit);
        Assert.Equal(a.LocalPeerId, await disconnected.Task.WaitAsync(Limit));
        Assert.Empty(b.ConnectedPeers);
    }

    [Fact]
    public async Task BootstrapPeers_AreDialledAtStartAndRedialledAfterADrop()
    {
        await using var seed = await TestHosts.StartAsync();
        var seedAddress = seed.ListenAddresses[0].WithPeerId(seed.LocalPeerId).ToString();
        await using var node = await TestHosts.StartAsync(o =>
        {
            o.BootstrapPeers = [seedAddress];
            o.DialBackoffBase = TimeSpan.FromMilliseconds(50);
        });
        await WaitUntilAsync(() => node.ConnectedPeers.Contains(seed.LocalPeerId));
        var first = node.GetConnections(seed.LocalPeerId)[0];
        await seed.DisconnectAsync(node.LocalPeerId);
        await first.Completion.WaitAsync(Limit);
        await WaitUntilAsync(() => node.ConnectedPeers.Contains(seed.LocalPeerId));
        Assert.NotSame(first, node.GetConnections(seed.LocalPeerId)[0]);
        await node.Ping.PingAsync(seed.LocalPeerId).WaitAsync(Limit);
    }

    [Fact]
    public async Task UnreachablePeers_AreBackedOff()
    {
        await using var a = await TestHosts.StartAsync();
        var ghost = Ed25519PrivateKey.Generate().PeerId;
        a.Peers.AddAddresses(ghost, [Multiaddr.Parse("/ip4/127.0.0.1/tcp/1")], TimeSpan.FromMinutes(1));
        await Assert.ThrowsAnyAsync<Exception>(() => a.DialAsync(ghost).WaitAsync(Limit));
        await Assert.ThrowsAsync<DialBackoffException>(() => a.DialAsync(ghost).WaitAsync(Limit));
    }

    [Fact]
    public async Task ListenAddresses_ResolvePortZeroAndWildcards()
    {
        await using var host = await TestHosts.StartAsync(o => o.ListenAddresses = ["/ip4/0.0.0.0/tcp/0"]);
        Assert.NotEmpty(host.ListenAddresses);
        Assert.All(host.ListenAddresses, a => Assert.NotEqual(0, a.ToIPEndPoint()!.Port));
        Assert.Contains(host.ListenAddresses, a => a.ToIPEndPoint()!.Address.Equals(System.Net.IPAddress.Loopback));
        Assert.Equal("/ip4/0.0.0.0/tcp/4001", new NetworkOptions().EffectiveListenAddresses.Single());
    }

    [Fact]
    public async Task Writer_IsNotStalledByAHandlerThatStopsReading()
    {
        await using var a = await TestHosts.StartAsync();
        await using var b = await TestHosts.StartAsync();
        b.SetStreamHandler("/p2pd/ignore/1", async (stream, ct) => await Task.Delay(200, ct)); // a full window arrives meanwhile
        var connection = await a.DialAsync(b.ListenAddresses[0].WithPeerId(b.LocalPeerId)).WaitAsync(Limit);
        await using var stream = await connection.OpenStreamAsync(["/p2pd/ignore/1"]).WaitAsync(Limit);
        var echoed = await TestHosts.RoundTripAsync(stream, TestHosts.RandomBytes(4 << 20, 3), CancellationToken.None).WaitAsync(Limit);
        Assert.Empty(echoed); // the handler wrote nothing and closed; our 4 MiB (16 windows) were still accepted
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(20);
        }
    }
}
