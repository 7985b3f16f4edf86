using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using P2P.Networking.Core;
using P2P.Networking.Host;
using P2P.Testing;

namespace P2P.Networking.Tests.Host;

[Collection(MemoryMeasurementCollection.Name)] // heap measurements need the process to themselves
public sealed class ConnectionManagementTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SimultaneousDial_LeavesOneUsableConnectionOnBothSides()
    {
        for (var round = 0; round < 3; round++)
        {
            await using var a = await TestHosts.StartAsync();
            await using var b = await TestHosts.StartAsync();
            await Task.WhenAll(
                a.DialAsync(b.ListenAddresses[0].WithPeerId(b.LocalPeerId)),
                b.DialAsync(a.ListenAddresses[0].WithPeerId(a.LocalPeerId))).WaitAsync(Limit);

            var deadline = DateTime.UtcNow + Limit;
            while (a.GetConnections(b.LocalPeerId).Count != 1 || b.GetConnections(a.LocalPeerId).Count != 1)
            {
                Assert.True(DateTime.UtcNow < deadline, "duplicate connections were not resolved");
                await Task.Delay(20);
            }
            var kept = a.GetConnections(b.LocalPeerId)[0];
            var other = b.GetConnections(a.LocalPeerId)[0];
            Assert.Equal(kept.LocalAddress, other.RemoteAddress);
            Assert.Equal(kept.RemoteAddress, other.LocalAddress);

            await using var ab = await a.OpenStreamAsync(b.LocalPeerId, TestHosts.EchoProtocol).WaitAsync(Limit);
            Assert.Equal([1, 2, 3], await TestHosts.RoundTripAsync(ab, [1, 2, 3], CancellationToken.None).WaitAsync(Limit));
            await using var ba = await b.OpenStreamAsync(a.LocalPeerId, TestHosts.EchoProtocol).WaitAsync(Limit);
            Assert.Equal([4, 5], await TestHosts.RoundTripAsync(ba, [4, 5], CancellationToken.None).WaitAsync(Limit));
        }
    }

    [Fact]
    public async Task ThousandStreamChurn_LeaksNoStreamsOrMemory()
    {
        await using var a = await TestHosts.StartAsync();
        await using var b = await TestHosts.StartAsync();
        var served = new ConcurrentBag<WeakReference>();
        b.SetStreamHandler("/p2pd/churn/1", async (stream, ct) =>
        {
            served.Add(new WeakReference(stream));
            await TestHosts.EchoAsync(stream, ct);
        });
        var connection = await a.DialAsync(b.ListenAddresses[0].WithPeerId(b.LocalPeerId)).WaitAsync(Limit);
        var opened = new ConcurrentBag<WeakReference>();

        async Task ChurnAsync(int count)
        {
            for (var batch = 0; batch < count; batch += 50)
            {
                await Task.WhenAll(Enumerable.Range(batch, 50).Select(async i =>
                {
                    await using var stream = await connection.OpenStreamAsync("/p2pd/churn/1");
                    opened.Add(new WeakReference(stream));
                    var data = TestHosts.RandomBytes(1024, i);
                    Assert.Equal(data, await TestHosts.RoundTripAsync(stream, data, CancellationToken.None));
                }));
            }
        }

        await ChurnAsync(100).WaitAsync(Limit); // warm-up: pools, JIT
        var serverConnection = Assert.Single(b.GetConnections(a.LocalPeerId));
        await WaitForNoStreamsAsync(connection, serverConnection);
        var before = Collect();
        await ChurnAsync(1000).WaitAsync(TimeSpan.FromSeconds(60));
        await WaitForNoStreamsAsync(connection, serverConnection);
        var after = Collect();

        Assert.Equal(0, ((Connection)connection).Session.StreamCount);
        Assert.Equal(0, ((Connection)serverConnection).Session.StreamCount);
        Assert.Equal(1100, opened.Count);
        Assert.Equal(1100, served.Count);
        // Every stream object of the churn is collectable: nothing holds on to them.
        Assert.True(opened.Count(w => w.IsAlive) + served.Count(w => w.IsAlive) <= 4,
            $"{opened.Count(w => w.IsAlive)} client and {served.Count(w => w.IsAlive)} server streams still reachable");
        Assert.True(after - before < 8 << 20, $"managed heap grew by {(after - before) >> 10} KiB over 1 000 streams");
        Assert.False(connection.IsClosed);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ConnectionManager_TrimsToTheLowWatermarkAfterTheGracePeriod(bool protectOldest)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var hub = await TestHosts.StartAsync(o =>
        {
            o.ConnectionsLowWater = 2;
            o.ConnectionsHighWater = 3;
            o.ConnectionGracePeriod = TimeSpan.FromSeconds(1);
        }, time: time);
        var spokes = new List<Libp2pHost>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var spoke = await TestHosts.StartAsync();
                spokes.Add(spoke);
                await spoke.DialAsync(hub.ListenAddresses[0].WithPeerId(hub.LocalPeerId)).WaitAsync(Limit);
                Assert.True(await Wait.UntilAsync(() => hub.ConnectedPeers.Contains(spoke.LocalPeerId), Limit));
                if (i == 0 && protectOldest)
                {
                    hub.Reputation.Protect(spoke.LocalPeerId, "test");
                }
                if (i == 2)
                {
                    time.Advance(TimeSpan.FromSeconds(1.1)); // the first three leave their grace period
                }
            }
            Assert.True(await Wait.UntilAsync(() => hub.Connections.Count <= 2, Limit), $"hub still has {hub.Connections.Count} connections");
            Assert.Contains(spokes[3].LocalPeerId, hub.ConnectedPeers); // the newest is protected by its grace period
            if (protectOldest)
            {
                Assert.Contains(spokes[0].LocalPeerId, hub.ConnectedPeers); // protected from trimming though the oldest
            }
            else
            {
                Assert.DoesNotContain(spokes[0].LocalPeerId, hub.ConnectedPeers); // the oldest goes first
            }
        }
        finally
        {
            foreach (var spoke in spokes)
            {
                await spoke.DisposeAsync();
            }
            await TestHosts.DisposeOnFakeClockAsync(hub, time);
        }
    }

    private static async Task WaitForNoStreamsAsync(IConnection client, IConnection server)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (client.Streams.Count > 0 || server.Streams.Count > 0
            || ((Connection)client).Session.StreamCount > 0 || ((Connection)server).Session.StreamCount > 0)
        {
            Assert.True(DateTime.UtcNow < deadline,
                $"streams left open: client {((Connection)client).Session.StreamCount}, server {((Connection)server).Session.StreamCount}");
            await Task.Delay(20);
        }
    }

    private static long Collect()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
