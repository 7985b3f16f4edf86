using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace P2P.Bench.Inference;

/// <summary>
/// `p2pd infer` as a user runs it: a fresh process per run (runtime start, JIT, model load, prefill, decode), reporting
/// its decode tokens/s and time from process start to the first token. Variants (environment overrides) alternate run
/// after run, each round starting at the next variant, and each reports its median. The read bandwidth is measured again right before each process, and each
/// run's share of the bound is taken against that moment's bandwidth (on a shared machine the load moves within minutes).
/// </summary>
internal static class ColdStartBenchmark
{
    /// <param name="DaemonDll">another build of p2pd to run (e.g. the commit before a change), or null for the one given to Run.</param>
    /// <param name="LogProbs">log-probs per token in the JSON output (5 is --json's default); 0 runs what a user's plain
    /// `p2pd infer` computes, which prints no log-probs.</param>
    public sealed record Variant(string Name, IReadOnlyDictionary<string, string> Environment, bool Deterministic = false, string? DaemonDll = null, int LogProbs = 0);

    /// <summary>One fresh process.</summary>
    /// <param name="OfBound">decode ÷ (the bandwidth measured just before the run ÷ weight bytes per token).</param>
    /// <param name="Bandwidth">the read bandwidth measured just before the run, GB/s.</param>
    /// <param name="JitMethods">methods the JIT compiled while the process generated (NaN for builds that do not report it).</param>
    public sealed record Sample(double DecodeTokensPerSecond, double OfBound, double Bandwidth, double FirstTokenSeconds, double WallSeconds, double JitMethods);

    /// <summary>A variant's runs in run order, and their medians.</summary>
    public sealed record Result(Variant Variant, IReadOnlyList<Sample> Runs)
    {
        public double DecodeTokensPerSecond => Median(Runs.Select(r => r.DecodeTokensPerSecond));
        public double OfBound => Median(Runs.Select(r => r.OfBound));
        public double FirstTokenSeconds => Median(Runs.Select(r => r.FirstTokenSeconds));
        public double WallSeconds => Median(Runs.Select(r => r.WallSeconds));
        public double JitMethods => Median(Runs.Select(r => r.JitMethods));
    }

    /// <summary>src/Daemon's Release build, found from this assembly's folder; null when not built.</summary>
    public static string? DaemonDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "P2P.sln")))
                return Path.Combine(dir.FullName, "src", "Daemon", "bin", "Release", "net10.0", "p2pd.dll") is var p && File.Exists(p) ? p : null;
        return null;
    }

    public static IReadOnlyList<Result> Run(string daemonDll, string model, int tokens, int threads, IReadOnlyList<Variant> variants, int runs,
        BandwidthBenchmark.Meter bandwidth, long bytesPerToken)
    {
        var samples = variants.ToDictionary(v => v, _ => new List<Sample>());
        for (int run = 0; run < runs; run++)
        {
            // Each round starts at the next variant, so a cost that falls on whichever process runs first in a round
            // (a fresh process after the bench's own work has allocated differently) is spread over all of them.
            for (int k = 0; k < variants.Count; k++)
            {
                var variant = variants[(run + k) % variants.Count];
                double gigabytesPerSecond = bandwidth.Measure();
                double bound = gigabytesPerSecond * 1e9 / bytesPerToken;
                var (decode, firstToken, wall, jit) = RunOnce(variant.DaemonDll ?? daemonDll, model, tokens, threads, variant);
                samples[variant].Add(new Sample(decode, decode / bound, gigabytesPerSecond, firstToken, wall, jit));
            }
        }
        return [.. variants.Select(v => new Result(v, samples[v]))];
    }

    private static (double Decode, double FirstToken, double Wall, double Jit) RunOnce(string daemonDll, string model, int tokens, int threads, Variant variant)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { daemonDll, "infer", "--model", model, "--prompt-ids", "1", "--max-tokens", tokens.ToString(CultureInfo.InvariantCulture),
                     "--threads", threads.ToString(CultureInfo.InvariantCulture), "--json", "--logprobs", variant.LogProbs.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        if (variant.Deterministic) start.ArgumentList.Add("--deterministic");
        foreach (var (key, value) in variant.Environment) start.Environment[key] = value;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10))) process.Kill();
        double wall = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0) throw new InvalidOperationException($"p2pd infer exited {process.ExitCode}: {error.Result}");
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        double jit = root.TryGetProperty("jit_methods_during_generation", out var methods) ? methods.GetDouble() : double.NaN;
        return (root.GetProperty("decode_tokens_per_second").GetDouble(), root.GetProperty("first_token_seconds").GetDouble(), wall, jit);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
