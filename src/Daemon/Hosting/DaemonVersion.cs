using System.Reflection;

namespace P2P.Daemon.Hosting;

/// <summary>The p2pd version string (informational version, which carries the source revision when built from git).</summary>
public static class DaemonVersion
{
    public static string Text { get; } =
        typeof(DaemonVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(DaemonVersion).Assembly.GetName().Version?.ToString() ?? "unknown";
}
