using P2P.Networking.Core;
using P2P.Networking.Host;
using P2P.Networking.Protocols;

namespace P2P.Networking.Tests.Host;

public sealed class HostTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Dial_ThenPingAndIdentifyWorkBothWays()
    {
        await using var a = await TestHosts.StartAsync();
        await using var b = await TestHosts.StartAsync();
        var connection = await a.DialAsync(b.ListenAddresses[0].WithPeerId(b.LocalPeerId)).WaitAsync(Limit);
        Assert.Equal(b.LocalPeerId, connection.RemotePeer);
        Assert.Equal(Direction.Outbound, connection.Direction);

        var infoOfB = await a.Identify.WaitIdentifiedAsync(connection).WaitAsync(Limit);
        Assert.Contains(TestHosts.EchoProtocol, infoOfB.Protocols);
        Assert.Contains(PingService.ProtocolId, infoOfB.Protocols);
        Assert.Contains(b.ListenAddresses[0], infoOfB.ListenAddresses);
        Assert.Equal(connection.LocalAddress, infoOfB.ObservedAddress);

        var back = Assert.Single(b.GetConnections(a.LocalPeerId));
        var infoOfA = await b.Identify.WaitIdentifiedAsync(back).WaitAsync(Limit);
        Assert.Contains(IdentifyService.ProtocolId, infoOfA.Protocols);
        Assert.Contains(a.ListenAddresses[0], b.Peers.GetAddresses(a.LocalPeerId));

        var rtt = await a.Ping.PingAsync(b.LocalPeerId).WaitAsync(Limit);
        Assert.True(rtt > TimeSpan.Zero);
        Assert.NotNull(a.Peers.GetLatency(b.LocalPeerId));
        await b.Ping.PingAsync(a.LocalPeerId).WaitAsync(Limit);
    }

    [Fact]
    public async Task DialWithTheWrongExpectedPeerId_FailsAndTheListenerKeepsServing()
    {
        await using var a = await TestHosts.StartAsync();
        await using var b = await TestHosts.StartAsync();
        var impostor = P2P.Networking.Identity.Ed25519PrivateKey.Generate().PeerId;
        var error = await Assert.ThrowsAsync<P2P.Networking.Noise.NoiseHandshakeException>(
            () => a.DialAsync(b.ListenAddresses[0].WithPeerId(impostor)).WaitAsync(Limit));
        Assert.Contains(impostor.ToString(), error.Message);
        Assert.Empty(a.Connections);
        await a.DialAsync(b.ListenAddresses[0].WithPeerId(b.LocalPeerId)).WaitAsync(Limit);
        await a.Ping.PingAsync(b.LocalPeerId).WaitAsync(Limit);
    }

    [Fact]
    public async Task Echo_Moves16MiBEachWayOnOneStream()
    {
        await using var a = await TestHosts.StartAsync();
        await using var b = await TestHosts.StartAsync();
        a.Peers.AddAddresses(b.LocalPeerId, b.ListenAddresses, TimeSpan.FromMinutes(1));
        await using var stream = await a.OpenStreamAsync(b.LocalPeerId, TestHosts.EchoProtocol).WaitAsync(Limit);
        var data = TestHosts.RandomBytes(16 << 20, 1);
        var echoed = await TestHosts.RoundTripAsync(stream, data, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(data.AsSpan().SequenceEqual(echoed));
    }

    [Fact]
    public async Task HundredConcurrentStreamsOf64KiB_AreByteExact()
    {
        await using var a = await TestHosts.StartAsync();
        await using var b = await TestHosts.StartAsync();
        var connection = await a.DialAsync(b.ListenAddresses[0].WithPeerId(b.LocalPeerId)).WaitAsync(Limit);
        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            await using var stream = await connection.OpenStreamAsync(TestHosts.EchoProtocol);
            var data = TestHosts.RandomBytes(64 << 10, i);
            var echoed = await TestHosts.RoundTripAsync(stream, data, CancellationToken.None);
            return data.AsSpan().SequenceEqual(echoed);
        })).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(results, Assert.True);
    }
}
