using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Time.Testing;
using P2P.Daemon.Hosting;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Hosting;

/// <summary>The status lines and watchdog cadence on a FakeTimeProvider clock (no sleeps); the real socket is covered by DaemonLifecycleTests.</summary>
public sealed class SystemdStatusServiceTests
{
    /// <summary>Keeps what would have gone to systemd's socket, in order.</summary>
    private sealed class RecordingNotifier : ISystemdNotifier
    {
        private readonly List<string> _sent = [];

        public bool IsEnabled => true;

        public List<string> Sent { get { lock (_sent) return [.. _sent]; } }

        public void Notify(ServiceState state)
        {
            lock (_sent) _sent.Add(state.ToString());
        }
    }

    private static async Task<List<string>> SentAfterAsync(RecordingNotifier notifier, int count)
    {
        // The loop runs on the thread pool after each fake tick; poll for its datagrams with a bound.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (notifier.Sent.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected {count} notifications, got: {string.Join(" | ", notifier.Sent)}");
            await Task.Delay(10);
        }
        return notifier.Sent;
    }

    [Fact]
    public async Task StatusService_WaitsForReady_ThenSendsStatusAndPingsAtTheWatchdogInterval_UntilStopping()
    {
        var notifier = new RecordingNotifier();
        var readiness = new SystemdReadiness(notifier);
        using var lifetime = new TestLifetime();
        var time = new FakeTimeProvider();
        var head = 1;
        var interval = TimeSpan.FromSeconds(2);
        var service = new SystemdStatusService(readiness, () => $"head {head}", interval, lifetime, time);

        await service.StartAsync(CancellationToken.None);
        Assert.Equal(["STATUS=starting"], notifier.Sent);
        time.Advance(interval * 3);
        Assert.Equal(["STATUS=starting"], notifier.Sent);

        readiness.Notify(ServiceState.Ready);
        Assert.Equal(["STATUS=starting", "READY=1", "STATUS=head 1", "WATCHDOG=1"], await SentAfterAsync(notifier, 4));
        time.Advance(interval);
        Assert.Equal("WATCHDOG=1", (await SentAfterAsync(notifier, 5))[4]);
        head = 2;
        time.Advance(interval);
        Assert.Equal(["STATUS=head 2", "WATCHDOG=1"], (await SentAfterAsync(notifier, 7))[5..]);

        lifetime.StopApplication();
        await service.StopAsync(CancellationToken.None);
        var stopped = notifier.Sent.Count;
        time.Advance(interval * 4);
        Assert.Equal(stopped, notifier.Sent.Count);
    }

    [Fact]
    public async Task StatusService_WithALongWatchdog_RefreshesStatusEveryFiveSeconds_AndPingsNoLaterThanAsked()
    {
        var notifier = new RecordingNotifier();
        var readiness = new SystemdReadiness(notifier);
        using var lifetime = new TestLifetime();
        var time = new FakeTimeProvider();
        var tick = 0;
        var service = new SystemdStatusService(readiness, () => $"tick {tick++}", TimeSpan.FromSeconds(12), lifetime, time);
        await service.StartAsync(CancellationToken.None);
        readiness.Notify(ServiceState.Ready);
        await SentAfterAsync(notifier, 4);
        for (int round = 1; round <= 4; round++)
        {
            // Each tick's lines are all waited for (a status line, and a ping on every second tick) before the clock
            // moves again: a tick whose ping was still being sent would otherwise merge with the next one.
            var before = notifier.Sent.Count;
            time.Advance(SystemdStatusService.StatusInterval);
            await SentAfterAsync(notifier, before + (round % 2 == 0 ? 2 : 1));
        }
        // 20 s after READY: a status line every 5 s; pings every second tick (10 s, the 12 s asked for rounded down to ticks).
        var sent = notifier.Sent;
        Assert.Equal(5, sent.Count(s => s.StartsWith("STATUS=tick", StringComparison.Ordinal)));
        Assert.Equal(3, sent.Count(s => s == "WATCHDOG=1"));
        lifetime.StopApplication();
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void Readiness_SwallowsAGoneSocket_AndOpensOnlyOnReady()
    {
        var readiness = new SystemdReadiness(new ThrowingNotifier());
        readiness.Notify(new ServiceState("STATUS=x"));
        Assert.False(readiness.Ready.IsCompleted);
        readiness.Notify(ServiceState.Ready);
        Assert.True(readiness.Ready.IsCompleted);
    }

    private sealed class ThrowingNotifier : ISystemdNotifier
    {
        public bool IsEnabled => true;

        public void Notify(ServiceState state) => throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused);
    }
}
