using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace P2P.Daemon.Hosting;

/// <summary>
/// What <c>Microsoft.Extensions.Hosting.Systemd</c> leaves out: after <c>READY=1</c>, a <c>STATUS=</c> line (sync
/// progress, peers, head) whenever it changes, and <c>WATCHDOG=1</c> at half of <c>WATCHDOG_USEC</c>. Both stop when
/// shutdown begins (the library sends <c>STOPPING=1</c>).
/// </summary>
public sealed class SystemdStatusService(
    SystemdReadiness notifier,
    Func<string> statusLine,
    TimeSpan? watchdogInterval,
    IHostApplicationLifetime lifetime,
    TimeProvider time) : IHostedService
{
    /// <summary>How often the status line is refreshed when the watchdog does not ask for more often.</summary>
    public static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(5);

    private Task _loop = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        notifier.Notify(new ServiceState("STATUS=starting"));
        _loop = RunAsync(lifetime.ApplicationStopping);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) =>
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await notifier.Ready.WaitAsync(stopping);
            var interval = watchdogInterval is { } watchdog && watchdog < StatusInterval ? watchdog : StatusInterval;
            // Pings never go later than systemd asked: every k-th status tick, k rounded down.
            long ticksPerPing = watchdogInterval is { } asked ? Math.Max(1, asked.Ticks / interval.Ticks) : 0;
            using var timer = new PeriodicTimer(interval, time);
            string? sent = null;
            long tick = 0;
            do
            {
                var line = "STATUS=" + statusLine();
                if (line != sent) notifier.Notify(new ServiceState(line));
                sent = line;
                if (ticksPerPing > 0 && tick % ticksPerPing == 0) notifier.Notify(new ServiceState("WATCHDOG=1"));
                tick++;
            }
            while (await timer.WaitForNextTickAsync(stopping));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }
}
