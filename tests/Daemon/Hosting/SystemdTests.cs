using P2P.Daemon.Hosting;

namespace P2P.Daemon.Tests.Hosting;

public sealed class SystemdTests
{
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
}
