using Microsoft.Extensions.Time.Testing;
using P2P.Networking.Core;
using P2P.Testing;

namespace P2P.Networking.Tests.Host;

/// <summary>
/// A C#↔C# connection held 40 s with yamux keep-alive pings every 5 s. The hosts run on a fake clock: the test moves
/// it 5 s at a time and waits for each keep-alive round trip, so 40 s of keep-alive take well under a second.
/// </summary>
public sealed class LongLivedConnectionTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ConnectionHeld40SecondsWithKeepAlive_StaysOpenAndUsable()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var a = await TestHosts.StartAsync(o => o.KeepAliveInterval = TimeSpan.FromSeconds(5), time: time);
        var b = await TestHosts.StartAsync(o => o.KeepAliveInterval = TimeSpan.FromSeconds(5), time: time);
        try
        {
            var connection = await a.DialAsync(b.ListenAddresses[0].WithPeerId(b.LocalPeerId)).WaitAsync(Limit);
            var samples = 0;
            ((P2P.Networking.Host.Connection)connection).Session.RoundTripMeasured += _ => Interlocked.Increment(ref samples);

            for (var round = 1; round <= 8; round++)
            {
                var before = Volatile.Read(ref samples);
                time.Advance(TimeSpan.FromSeconds(5));
                Assert.True(await Wait.UntilAsync(() => Volatile.Read(ref samples) > before, Limit), $"no keep-alive round trip in round {round}");
            }

            Assert.False(connection.IsClosed);
            Assert.Same(connection, Assert.Single(a.GetConnections(b.LocalPeerId)));
            Assert.Single(b.GetConnections(a.LocalPeerId));
            await a.Ping.PingAsync(b.LocalPeerId).WaitAsync(Limit);
            await using var stream = await a.OpenStreamAsync(b.LocalPeerId, TestHosts.EchoProtocol).WaitAsync(Limit);
            Assert.Equal([1, 2, 3], await TestHosts.RoundTripAsync(stream, [1, 2, 3], CancellationToken.None).WaitAsync(Limit));
        }
        finally
        {
            await TestHosts.DisposeOnFakeClockAsync(a, time);
            await TestHosts.DisposeOnFakeClockAsync(b, time);
        }
    }
}
