using P2P.Networking.Core;

namespace P2P.Networking.Tests.Host;

/// <summary>A C#↔C# connection held 40 s with yamux keep-alive pings every 5 s (its own class: runs in parallel).</summary>
public sealed class LongLivedConnectionTests
{
    [Fact]
    public async Task Connection_held_40_seconds_with_keep_alive_stays_open_and_usable()
    {
        await using var a = await TestHosts.StartAsync(o => o.KeepAliveInterval = TimeSpan.FromSeconds(5));
        await using var b = await TestHosts.StartAsync(o => o.KeepAliveInterval = TimeSpan.FromSeconds(5));
        var connection = await a.DialAsync(b.ListenAddresses[0].WithPeerId(b.LocalPeerId)).WaitAsync(TimeSpan.FromSeconds(30));
        var samples = 0;
        ((P2P.Networking.Host.Connection)connection).Session.RoundTripMeasured += _ => Interlocked.Increment(ref samples);

        await Task.Delay(TimeSpan.FromSeconds(40));

        Assert.False(connection.IsClosed);
        Assert.Same(connection, Assert.Single(a.GetConnections(b.LocalPeerId)));
        Assert.Single(b.GetConnections(a.LocalPeerId));
        Assert.True(Volatile.Read(ref samples) >= 5, $"only {samples} keep-alive round trips in 40 s");
        await a.Ping.PingAsync(b.LocalPeerId);
        await using var stream = await a.OpenStreamAsync(b.LocalPeerId, TestHosts.EchoProtocol);
        Assert.Equal([1, 2, 3], await TestHosts.RoundTripAsync(stream, [1, 2, 3], CancellationToken.None));
    }
}
