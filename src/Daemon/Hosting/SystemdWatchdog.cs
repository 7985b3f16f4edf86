using System.Globalization;

namespace P2P.Daemon.Hosting;

/// <summary>The watchdog interval systemd asks for (<c>WATCHDOG_USEC</c>, for this pid when <c>WATCHDOG_PID</c> is set); pings go at half of it.</summary>
public static class SystemdWatchdog
{
    public static TimeSpan? PingInterval(IReadOnlyDictionary<string, string> environment, int processId)
    {
        if (!environment.TryGetValue("WATCHDOG_USEC", out var text)
            || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds) || microseconds <= 0)
            return null;
        if (environment.TryGetValue("WATCHDOG_PID", out var pid) && pid != processId.ToString(CultureInfo.InvariantCulture))
            return null;
        return TimeSpan.FromMicroseconds(microseconds / 2.0);
    }
}
