using System.Diagnostics;

namespace P2P.Inference.Tests.Support;

/// <summary>Runs this test assembly's <see cref="ProbeProgram"/> in a fresh process (optionally with runtime settings).</summary>
public static class ChildProcess
{
    public static string RunProbe(IDictionary<string, string> environment, params string[] args)
    {
        string host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(ProbeProgram).Assembly.Location);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"probe {string.Join(' ', args)} did not finish in 120 s");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"probe failed ({process.ExitCode}): {stderr.Result}");
        return stdout.Result.Trim();
    }
}
