using Microsoft.Extensions.Time.Testing;
using P2P.Networking.Core;

namespace P2P.Networking.Tests.Host;

/// <summary>
/// A C#↔C# connection held 40 s with yamux keep-alive pings every 5 s. The hosts run on a fake clock: the test moves
/// it a second at a time until each keep-alive round trip is seen (at least 5 s per round, 40 s in all), so the rounds
/// take a few seconds. One 5 s jump per round raced the keep-alive loop: a jump made before the loop had re-armed
/// its delay after the previous ping was lost, and the round then waited for a ping that was never due. The clock
/// also moves while a ping is in flight, so the ping timeout is set far beyond the test's whole run on that clock:
/// at the default 30 s a pong delayed 1.5 s of real time by a loaded machine would close the connection.
/// </summary>
public sealed class LongLivedConnectionTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ConnectionHeld40SecondsWithKeepAlive_StaysOpenAndUsable()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        static void KeepAlive(P2P.Networking.Hosting.NetworkOptions o)
        {
            o.KeepAliveInterval = TimeSpan.FromSeconds(5);
            o.KeepAliveTimeout = TimeSpan.FromHours(1);
        }
        var a = await TestHosts.StartAsync(KeepAlive, time: time);
        var b = await TestHosts.StartAsync(KeepAlive, time: time);
        try
        {
            var connection = await a.DialAsync(b.ListenAddresses[0].WithPeerId(b.LocalPeerId)).WaitAsync(Limit);
            var samples = 0;
            ((P2P.Networking.Host.Connection)connection).Session.RoundTripMeasured += _ => Interlocked.Increment(ref samples);

            for (var round = 1; round <= 8; round++)
            {
                var before = Volatile.Read(ref samples);
                var deadline = DateTime.UtcNow + Limit;
                while (Volatile.Read(ref samples) <= before)
                {
                    Assert.True(DateTime.UtcNow < deadline, $"no keep-alive round trip in round {round}");
                    time.Advance(TimeSpan.FromSeconds(1));
                    await Task.Delay(50);
                }
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
