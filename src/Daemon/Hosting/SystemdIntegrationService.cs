using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using P2P.Daemon.Node;

namespace P2P.Daemon.Hosting;

/// <summary>Tells systemd READY=1 once the API listens, STOPPING=1 when shutdown begins, and pings the watchdog at half its interval.</summary>
public sealed class SystemdIntegrationService(
    SystemdNotifier notifier,
    TimeSpan? watchdogInterval,
    IHostApplicationLifetime lifetime,
    NodeInfo node,
    TimeProvider time,
    ILogger<SystemdIntegrationService> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _watchdog = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(OnStarted);
        lifetime.ApplicationStopping.Register(OnStopping);
        notifier.Notify("STATUS=starting");
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _watchdog.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        _stopping.Dispose();
        notifier.Dispose();
    }

    private void OnStarted()
    {
        if (!notifier.Notify($"READY=1\nSTATUS=running as {node.PeerId}\nMAINPID={Environment.ProcessId}"))
            logger.LogWarning("Could not notify systemd at {Socket}", notifier.SocketPath);
        if (watchdogInterval is { } interval)
        {
            logger.LogInformation("Pinging the systemd watchdog every {Interval}", interval);
            _watchdog = PingWatchdogAsync(interval, _stopping.Token);
        }
    }

    private void OnStopping()
    {
        notifier.Notify("STOPPING=1\nSTATUS=shutting down");
        _stopping.Cancel();
    }

    private async Task PingWatchdogAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            do
            {
                notifier.Notify("WATCHDOG=1");
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
