using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using P2P.Daemon.Hosting;
using P2P.Daemon.Node;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Hosting;

/// <summary>The notify sequence and watchdog cadence, on a FakeTimeProvider clock (no sleeps).</summary>
public sealed class SystemdIntegrationServiceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task IntegrationService_SendsReadyOnStart_PingsEveryInterval_AndStopsPingingAfterStopping()
    {
        using var socket = new NotifySocket(_temp.Sub("notify"));
        using var lifetime = new TestLifetime();
        var time = new FakeTimeProvider();
        var interval = TimeSpan.FromSeconds(15);
        var node = new NodeInfo("12D3KooWTest", "0.1.0", _temp.Path, time.GetUtcNow());
        using var service = new SystemdIntegrationService(new SystemdNotifier(socket.Path), interval, lifetime, node, time, NullLogger<SystemdIntegrationService>.Instance);

        await service.StartAsync(CancellationToken.None);
        Assert.Equal(["STATUS=starting"], await socket.ReceiveUntilAsync("STATUS=starting", TimeSpan.FromSeconds(5)));

        lifetime.Start();
        var ready = await socket.ReceiveUntilAsync("READY=1", TimeSpan.FromSeconds(5));
        Assert.Contains("STATUS=running as 12D3KooWTest", Assert.Single(ready));
        await socket.ReceiveUntilAsync("WATCHDOG=1", TimeSpan.FromSeconds(5));

        for (var tick = 0; tick < 3; tick++)
        {
            Assert.Equal(0, socket.Pending);
            time.Advance(interval);
            Assert.Equal(["WATCHDOG=1"], await socket.ReceiveUntilAsync("WATCHDOG=1", TimeSpan.FromSeconds(5)));
        }
        time.Advance(interval - TimeSpan.FromSeconds(1));
        Assert.Equal(0, socket.Pending);

        lifetime.StopApplication();
        Assert.Equal(["STOPPING=1\nSTATUS=shutting down"], await socket.ReceiveUntilAsync("STOPPING=1", TimeSpan.FromSeconds(5)));
        await service.StopAsync(CancellationToken.None);
        time.Advance(interval * 4);
        Assert.Equal(0, socket.Pending);
    }

    public void Dispose() => _temp.Dispose();
}
