using System.Collections.Concurrent;
using System.Diagnostics;

namespace P2P.Consensus.Simulation.Tests.Crash;

/// <summary>The crash child (tests/ConsensusCrashChild) as a running process whose stdout lines can be awaited.</summary>
internal sealed class CrashChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = new();

    private CrashChildProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) _lines.CompleteAdding();
            else _lines.Add(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) Error.Add(e.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public ConcurrentBag<string> Error { get; } = [];

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "P2P.Consensus.CrashChild.dll");

    public static CrashChildProcess Start(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        return new CrashChildProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start the crash child"));
    }

    /// <summary>The next stdout line, or null when the output ended or <paramref name="timeout"/> passed.</summary>
    public string? NextLine(TimeSpan timeout) =>
        _lines.TryTake(out var line, timeout) ? line : null;

    /// <summary>SIGKILL (what Process.Kill sends on Unix), then waits for the exit.</summary>
    public int KillAndWait(TimeSpan timeout)
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        return WaitForExit(timeout);
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) throw new TimeoutException("the crash child did not exit");
        _process.WaitForExit(); // flushes the redirected streams
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try { _process.Kill(); } catch (InvalidOperationException) { }
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
        _lines.Dispose();
    }
}
