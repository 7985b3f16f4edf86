using System.Diagnostics;
using System.Globalization;

namespace P2P.Daemon.Devnet;

/// <summary>Starts devnet daemons as detached processes (own session, output to the node's log) and stops them by pid file.</summary>
public static class DevnetProcesses
{
    /// <summary>SIGTERM gets the daemon's own shutdown timeout (Host:ShutdownTimeoutSeconds, 10 s) and some slack before SIGKILL.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    // Variables that would make a child believe it is the systemd service itself.
    private static readonly string[] InheritedButWrong = ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "P2PD_DATA_DIR"];

    // setsid puts the daemon in its own session, so that Ctrl-C in the terminal or closing it does not reach it;
    // setsid does not fork here (the shell is no process-group leader), so the pid we get is the daemon's.
    private const string Launcher = "log=$1; shift; if command -v setsid >/dev/null 2>&1; then exec setsid \"$@\" >>\"$log\" 2>&1 </dev/null; else exec \"$@\" >>\"$log\" 2>&1 </dev/null; fi";

    /// <summary>
    /// How to run this p2pd: its apphost when that is what runs, else <c>dotnet p2pd.dll</c> (also when the code runs
    /// inside another program, such as the soak benchmark or a test host).
    /// </summary>
    public static IReadOnlyList<string> SelfCommand()
    {
        var running = Environment.ProcessPath ?? "dotnet";
        if (Path.GetFileNameWithoutExtension(running) == "p2pd") return [running];
        var dotnet = Path.GetFileNameWithoutExtension(running) == "dotnet" ? running : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        return [dotnet, typeof(DevnetProcesses).Assembly.Location];
    }

    /// <summary>Starts <c>p2pd run</c> for <paramref name="node"/> with <paramref name="arguments"/>, writes its pid file (pid and start time) and returns the pid.</summary>
    public static int Start(DevnetNode node, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Launcher);
        info.ArgumentList.Add("p2pd-devnet");
        info.ArgumentList.Add(node.LogFile);
        foreach (var part in SelfCommand()) info.ArgumentList.Add(part);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var name in InheritedButWrong) info.Environment.Remove(name);
        using var process = Process.Start(info) ?? throw new IOException("could not start /bin/sh");
        // A child that has already exited and been reaped has no start time: 0 never matches, so it reads as not running.
        var started = ProcessStartTime.Of(process.Id) ?? 0;
        File.WriteAllText(node.PidFile, string.Create(CultureInfo.InvariantCulture, $"{process.Id} {started}\n"));
        return process.Id;
    }

    /// <summary>The pid in the node's pid file when that process is still this node's daemon, else null.</summary>
    public static int? RunningPid(DevnetNode node)
    {
        if (!File.Exists(node.PidFile)) return null;
        var parts = File.ReadAllText(node.PidFile).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) return null;
        if (parts.Length > 1 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var started))
        {
            // The start time, unlike the command line, stays readable while the launcher execs setsid and then p2pd.
            return ProcessStartTime.Of(pid) == started ? pid : null;
        }
        return HasDataDirectoryOnCommandLine(pid, node) ? pid : null;
    }

    /// <summary>
    /// For a pid file without a start time: whether <paramref name="pid"/> runs with the node's data directory on its
    /// command line (a recycled pid is not the node's, and an exited zombie has an empty command line).
    /// </summary>
    private static bool HasDataDirectoryOnCommandLine(int pid, DevnetNode node)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return commandLine.Contains(node.DataDirectory, StringComparer.Ordinal);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Sends <paramref name="signal"/> to the node and waits (bounded) until it has exited; false when it still runs.</summary>
    public static async Task<bool> SignalAndWaitAsync(DevnetNode node, int signal, TimeSpan bound)
    {
        if (RunningPid(node) is not { } pid) return true;
        PosixSignals.Send(pid, signal);
        return (await WaitForExitAsync([node], bound)).Count == 0;
    }

    /// <summary>SIGTERM to every running node, SIGKILL to those still running after <see cref="StopGrace"/>; pid files removed.</summary>
    /// <returns>The nodes that had to be killed.</returns>
    public static async Task<IReadOnlyList<DevnetNode>> StopAsync(IReadOnlyList<DevnetNode> nodes, TextWriter output)
    {
        var running = nodes.Where(n => RunningPid(n) is not null).ToList();
        foreach (var node in running)
        {
            if (RunningPid(node) is { } pid) PosixSignals.Send(pid, PosixSignals.Sigterm);
        }
        if (running.Count > 0) output.WriteLine($"stopping {running.Count} node(s) (SIGTERM, SIGKILL after {StopGrace.TotalSeconds:F0} s)");
        var stubborn = await WaitForExitAsync(running, StopGrace);
        foreach (var node in stubborn)
        {
            if (RunningPid(node) is { } pid) PosixSignals.Send(pid, PosixSignals.Sigkill);
            output.WriteLine($"node {node.Name} did not stop within {StopGrace.TotalSeconds:F0} s: killed");
        }
        var survivors = await WaitForExitAsync(stubborn, KillGrace);
        if (survivors.Count > 0) throw new IOException($"node(s) {string.Join(", ", survivors.Select(n => n.Name))} survived SIGKILL");
        foreach (var node in nodes) File.Delete(node.PidFile);
        return stubborn;
    }

    private static async Task<List<DevnetNode>> WaitForExitAsync(List<DevnetNode> nodes, TimeSpan bound)
    {
        var deadline = Stopwatch.StartNew();
        var left = nodes.Where(n => RunningPid(n) is not null).ToList();
        while (left.Count > 0 && deadline.Elapsed < bound)
        {
            await Task.Delay(PollInterval);
            left = left.Where(n => RunningPid(n) is not null).ToList();
        }
        return left;
    }
}
