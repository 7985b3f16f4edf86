using P2P.Networking.Core;
using P2P.Networking.Identity;
using P2P.Networking.Multiformats;
using P2P.Networking.Protocols;

namespace P2P.Interop;

/// <summary>A C# host and a js-libp2p 3.3.11 peer, each dialling the other.</summary>
public sealed class InteropTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [JsFact]
    public async Task CSharpDialsJs_ThenPingAndIdentifyWorkBothWays()
    {
        await using var js = await JsPeer.StartAsync();
        await using var host = await CsHosts.StartAsync();
        var connection = await host.DialAsync(Multiaddr.Parse(js.Addresses[0])).WaitAsync(Limit);
        Assert.Equal(js.PeerId, connection.RemotePeer.ToString());

        var info = await host.Identify.WaitIdentifiedAsync(connection).WaitAsync(Limit);
        Assert.Contains(PingService.ProtocolId, info.Protocols);
        Assert.Contains(CsHosts.Echo, info.Protocols);
        Assert.Contains(Multiaddr.Parse(js.Addresses[0]).WithoutPeerId(), info.ListenAddresses);
        Assert.StartsWith("js-libp2p", info.AgentVersion);

        Assert.True(await host.Ping.PingAsync(connection.RemotePeer).WaitAsync(Limit) > TimeSpan.Zero);
        var rtt = await js.CallAsync("ping", new { peer = host.LocalPeerId.ToString() });
        Assert.True(rtt["rtt"]!.GetValue<double>() >= 0);
        await AssertJsIdentifiedAsync(js, host);
    }

    [JsFact]
    public async Task JsDialsCSharp_ThenPingAndIdentifyWorkBothWays()
    {
        await using var js = await JsPeer.StartAsync();
        await using var host = await CsHosts.StartAsync();
        var dialed = await js.CallAsync("dial", new { addr = host.ListenAddresses[0].WithPeerId(host.LocalPeerId).ToString() });
        Assert.Equal(host.LocalPeerId.ToString(), dialed["peer"]!.GetValue<string>());
        await js.CallAsync("ping", new { peer = host.LocalPeerId.ToString() });
        await AssertJsIdentifiedAsync(js, host);

        var jsPeer = PeerId.Parse(js.PeerId);
        var connection = Assert.Single(host.GetConnections(jsPeer));
        Assert.Equal(Direction.Inbound, connection.Direction);
        var info = await host.Identify.WaitIdentifiedAsync(connection).WaitAsync(Limit);
        Assert.Contains("/ipfs/id/1.0.0", info.Protocols);
        Assert.Contains(Multiaddr.Parse(js.Addresses[0]).WithoutPeerId(), host.Peers.GetAddresses(jsPeer));
        Assert.True(await host.Ping.PingAsync(jsPeer).WaitAsync(Limit) > TimeSpan.Zero);
    }

    [JsFact]
    public async Task Echo_Moves16MiBEachWayOnOneStreamInBothDirections()
    {
        await using var js = await JsPeer.StartAsync();
        await using var host = await CsHosts.StartAsync();
        var connection = await host.DialAsync(Multiaddr.Parse(js.Addresses[0])).WaitAsync(Limit);
        await using (var stream = await connection.OpenStreamAsync(CsHosts.Echo))
        {
            Assert.True(await CsHosts.EchoAsync(stream, CsHosts.Pattern(16 << 20, 3)).WaitAsync(TimeSpan.FromSeconds(60)));
        }
        var reply = await js.CallAsync("echo", new { peer = host.LocalPeerId.ToString(), size = 16 << 20, streams = 1, seed = 5 }, TimeSpan.FromSeconds(60));
        Assert.Equal(16 << 20, reply["received"]!.GetValue<long>());
        Assert.True(reply["allEqual"]!.GetValue<bool>());
    }

    [JsFact]
    public async Task HundredConcurrentStreamsOf64KiB_WorkInBothDirections()
    {
        await using var js = await JsPeer.StartAsync();
        await using var host = await CsHosts.StartAsync();
        var connection = await host.DialAsync(Multiaddr.Parse(js.Addresses[0])).WaitAsync(Limit);
        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            await using var stream = await connection.OpenStreamAsync(CsHosts.Echo);
            return await CsHosts.EchoAsync(stream, CsHosts.Pattern(64 << 10, (uint)i + 1));
        })).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(results, Assert.True);
        var reply = await js.CallAsync("echo", new { peer = host.LocalPeerId.ToString(), size = 64 << 10, streams = 100, seed = 11 }, TimeSpan.FromSeconds(60));
        Assert.Equal(100L * (64 << 10), reply["received"]!.GetValue<long>());
        Assert.True(reply["allEqual"]!.GetValue<bool>());
    }

    [JsFact]
    public async Task JsDialWithTheWrongExpectedPeerId_FailsCleanly()
    {
        await using var js = await JsPeer.StartAsync();
        await using var host = await CsHosts.StartAsync();
        var impostor = Ed25519PrivateKey.Generate().PeerId;
        var wrong = await js.SendAsync("dial", new { addr = host.ListenAddresses[0].WithPeerId(impostor).ToString() });
        Assert.False(wrong["ok"]!.GetValue<bool>());
        Assert.Empty(host.GetConnections(PeerId.Parse(js.PeerId)));
        // The host keeps serving: the right id works afterwards.
        await js.CallAsync("dial", new { addr = host.ListenAddresses[0].WithPeerId(host.LocalPeerId).ToString() });
        await js.CallAsync("ping", new { peer = host.LocalPeerId.ToString() });
    }

    [JsFact]
    public async Task CSharpDialWithTheWrongExpectedPeerId_Fails()
    {
        await using var js = await JsPeer.StartAsync();
        await using var host = await CsHosts.StartAsync();
        var impostor = Ed25519PrivateKey.Generate().PeerId;
        var address = Multiaddr.Parse(js.Addresses[0]).WithPeerId(impostor);
        await Assert.ThrowsAnyAsync<Exception>(() => host.DialAsync(address).WaitAsync(Limit));
        Assert.Empty(host.Connections);
    }

    internal static async Task AssertJsIdentifiedAsync(JsPeer js, IP2PHost host)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (true)
        {
            var peer = await js.CallAsync("peer", new { peer = host.LocalPeerId.ToString() });
            var protocols = peer["protocols"]!.AsArray().Select(p => p!.GetValue<string>()).ToArray();
            var addrs = peer["addrs"]!.AsArray().Select(p => p!.GetValue<string>()).ToArray();
            if (protocols.Contains(CsHosts.Echo) && addrs.Contains(host.ListenAddresses[0].ToString()))
            {
                Assert.Contains(PingService.ProtocolId, protocols);
                Assert.Contains(IdentifyService.ProtocolId, protocols);
                Assert.StartsWith("p2pd/", peer["agent"]!.GetValue<string>());
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"js never identified the C# host: {peer.ToJsonString()}");
            await Task.Delay(100);
        }
    }
}
