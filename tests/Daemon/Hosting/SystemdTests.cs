using P2P.Daemon.Hosting;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Hosting;

public sealed class SystemdTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Notifier_SendsDatagrams_ToAPathSocket()
    {
        using var socket = new NotifySocket(_temp.Sub("notify"));
        using var notifier = SystemdNotifier.FromEnvironment(new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socket.Path })!;
        Assert.True(notifier.Notify("READY=1\nSTATUS=hello"));
        Assert.Equal(["READY=1\nSTATUS=hello"], await socket.ReceiveUntilAsync("READY=1", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Notifier_UnderstandsTheAbstractNamespace()
    {
        using var socket = new NotifySocket("@p2pd-unit-" + Guid.NewGuid().ToString("N"));
        using var notifier = new SystemdNotifier(socket.Path);
        Assert.True(notifier.Notify("WATCHDOG=1"));
        await socket.ReceiveUntilAsync("WATCHDOG=1", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Notifier_IsAbsentWithoutNotifySocket_AndReportsAMissingSocket()
    {
        Assert.Null(SystemdNotifier.FromEnvironment(new Dictionary<string, string>()));
        using var notifier = new SystemdNotifier(_temp.Sub("nobody-listens"));
        Assert.False(notifier.Notify("READY=1"));
    }

    [Fact]
    public void WatchdogInterval_IsHalfOfWatchdogUsec_ForThisProcessOnly()
    {
        Assert.Equal(TimeSpan.FromSeconds(15), SystemdWatchdog.PingInterval(new Dictionary<string, string> { ["WATCHDOG_USEC"] = "30000000" }, 42));
        Assert.Equal(TimeSpan.FromSeconds(15), SystemdWatchdog.PingInterval(new Dictionary<string, string> { ["WATCHDOG_USEC"] = "30000000", ["WATCHDOG_PID"] = "42" }, 42));
        Assert.Null(SystemdWatchdog.PingInterval(new Dictionary<string, string> { ["WATCHDOG_USEC"] = "30000000", ["WATCHDOG_PID"] = "7" }, 42));
        Assert.Null(SystemdWatchdog.PingInterval(new Dictionary<string, string> { ["WATCHDOG_USEC"] = "0" }, 42));
        Assert.Null(SystemdWatchdog.PingInterval(new Dictionary<string, string> { ["WATCHDOG_USEC"] = "soon" }, 42));
        Assert.Null(SystemdWatchdog.PingInterval(new Dictionary<string, string>(), 42));
    }

    public void Dispose() => _temp.Dispose();
}
