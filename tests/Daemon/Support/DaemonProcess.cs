using System.Diagnostics;
using System.Text;

namespace P2P.Daemon.Tests.Support;

/// <summary>A real <c>dotnet p2pd.dll …</c> child process with captured output.</summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();

    private DaemonProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_gate) { _stdout.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_gate) { _stderr.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string DaemonDll => Path.Combine(AppContext.BaseDirectory, "p2pd.dll");

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public string StandardOutput { get { lock (_gate) return _stdout.ToString(); } }
    public string StandardError { get { lock (_gate) return _stderr.ToString(); } }

    public static DaemonProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DaemonDll);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        // The test runner's own systemd/journald variables must not leak into the child.
        foreach (var name in new[] { "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM", "INVOCATION_ID", "P2PD_DATA_DIR", "P2PD_LEVELDB_LIBRARY" })
            info.Environment.Remove(name);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("P2PD__", StringComparison.Ordinal)).ToList()) info.Environment.Remove(key);
        info.Environment["DOTNET_NOLOGO"] = "1";
        // Daemons under test share the machine: libp2p listens on a free loopback port unless a test says otherwise.
        info.Environment["P2PD__Network__ListenAddresses__0"] = "/ip4/127.0.0.1/tcp/0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        return new DaemonProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet"));
    }

    /// <summary>Runs a short command to completion and returns its exit code.</summary>
    public static async Task<DaemonProcess> RunToExitAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, int timeoutSeconds = 60)
    {
        var daemon = Start(arguments, environment);
        await daemon.WaitForExitAsync(TimeSpan.FromSeconds(timeoutSeconds));
        return daemon;
    }

    /// <summary>Polls <c>GET /healthz</c> until it answers 200, the process exits, or the deadline passes.</summary>
    public async Task WaitUntilHealthyAsync(int port, TimeSpan? timeout = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"p2pd exited with {_process.ExitCode} before it was healthy:\n{StandardError}\n{StandardOutput}");
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/healthz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"p2pd did not answer /healthz on port {port}:\n{StandardError}\n{StandardOutput}");
    }

    public void Signal(int signal) => Posix.Signal(_process.Id, signal);

    /// <summary>Waits for exit; false when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits until stdout contains <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!StandardOutput.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited) throw new InvalidOperationException($"process exited with {_process.ExitCode} before printing '{text}':\n{StandardError}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no '{text}' on stdout:\n{StandardOutput}\n{StandardError}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
    }
}
