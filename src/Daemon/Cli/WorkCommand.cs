using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using P2P.Work;
using P2P.Work.Kernels;
using P2P.Work.Throughput;

namespace P2P.Daemon.Cli;

/// <summary>`p2pd work verify|bench`: compute a work/1 hash, or measure this machine's mining speed (docs/work-function.md).</summary>
public static class WorkCommand
{
    public static Command Create()
    {
        var command = new Command("work", "The work/1 proof-of-work function (an integer transformer forward pass)");
        command.Subcommands.Add(CreateVerify());
        command.Subcommands.Add(CreateBench());
        return command;
    }

    private static Command CreateVerify()
    {
        var profile = ProfileOption();
        var seed = new Option<string>("--seed") { Description = "epoch seed, 64 hex digits", Required = true };
        var challenge = new Option<string>("--challenge") { Description = "SHA-256 of the header without its nonce, 64 hex digits", Required = true };
        var nonce = new Option<string>("--nonce") { Description = "the nonce, decimal or 0x-prefixed hex", Required = true };
        var path = new Option<string>("--path")
        {
            Description = "implementation: fast (default), reference (scalar spec), batched (second nonce of a batch of 2)",
            DefaultValueFactory = _ => "fast",
        };
        path.AcceptOnlyFromAmong("fast", "reference", "batched");
        var verify = new Command("verify", "Print the work hash of one nonce as 64 hex digits") { profile, seed, challenge, nonce, path };
        verify.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            if (!TryProfile(result.GetValue(profile)!, error, out var p)
                || !TryHex32(result.GetValue(seed)!, "--seed", error, out var seedBytes)
                || !TryHex32(result.GetValue(challenge)!, "--challenge", error, out var challengeBytes)
                || !TryNonce(result.GetValue(nonce)!, error, out ulong n))
                return 2;
            var hash = Compute(p, seedBytes, challengeBytes, n, result.GetValue(path)!);
            output.WriteLine(Convert.ToHexStringLower(hash));
            return 0;
        });
        return verify;
    }

    private static byte[] Compute(WorkProfile profile, byte[] seed, byte[] challenge, ulong nonce, string path)
    {
        var weights = WorkWeights.For(profile, seed);
        switch (path)
        {
            case "reference":
                return new ReferenceWorkFunction(weights).Hash(challenge, nonce);
            case "batched":
                ulong[] nonces = [nonce ^ 1, nonce];
                var hashes = new byte[nonces.Length * 32];
                new BatchedWorkEvaluator(weights, nonces.Length).Hashes(challenge, nonces, hashes);
                return hashes.AsSpan(32, 32).ToArray();
            default:
                return WorkFunction.Hash(profile, seed, challenge, nonce);
        }
    }

    private static Command CreateBench()
    {
        var profile = ProfileOption();
        var threads = new Option<int>("--threads") { Description = "mining threads (default: all CPUs; 1 is always measured too)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var seconds = new Option<double>("--seconds") { Description = "seconds per measurement", DefaultValueFactory = _ => 3 };
        var bench = new Command("bench", "Measure nonces/s and int8 MAC/s against the scalar kernel and the CPU's best multiply-add loop, in the same run")
        {
            profile, threads, seconds,
        };
        bench.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            if (!TryProfile(result.GetValue(profile)!, result.InvocationConfiguration.Error, out var p)) return 2;
            int threadCount = Math.Max(1, result.GetValue(threads));
            var duration = TimeSpan.FromSeconds(Math.Max(0.1, result.GetValue(seconds)));
            var weights = WorkWeights.For(p, new byte[32]);
            output.WriteLine($"profile {p.Name}: d={p.ModelDim} layers={p.Layers} T={p.Tokens}, {p.MultiplyAccumulatesPerNonce / 1e6:F1} M int8 MAC per nonce");
            double scalar = Measure(weights, Int8GemmKernel.Scalar, 1, 1, duration / 2);
            output.WriteLine($"  scalar kernel, 1 thread:            {scalar,10:F1} nonces/s  {scalar * p.MultiplyAccumulatesPerNonce / 1e9,7:F2} G MAC/s  (baseline)");

            // The peak is the best of every multiply-add loop this CPU has (int8 vpdpbusd where present).
            var loops = PeakLoops.Available().Select(l => (Loop: l, Rate: PeakLoops.Measure(l, 1, duration / 10))).ToList();
            var peak = loops.MaxBy(l => l.Rate).Loop;
            output.WriteLine($"  peak loops, 1 thread: {string.Join(", ", loops.Select(l => $"{l.Loop.Name} {l.Rate / 1e9:F1}"))} G MAC/s; best: {peak.Name}");

            var best = Int8GemmKernel.Best;
            int batch = p.Name == "devnet" ? 48 : 6;
            foreach (int n in new[] { 1, threadCount }.Distinct())
            {
                var miner = new WorkMiner(weights, new WorkMinerOptions { Threads = n, BatchSize = batch, Kernel = best });
                var r = MiningThroughput.Measure(miner, p, peak, n, batch, duration);
                output.WriteLine($"  {best.Name} kernel, {n} thread(s), batch {batch}: {r.NoncesPerSecond,10:F1} nonces/s  {r.MacsPerSecond / 1e9,7:F2} G MAC/s  ({r.NoncesPerSecond / scalar:F1}x baseline)");
                output.WriteLine($"    per thread {r.MacsPerSecond / n / 1e9:F1} G MAC/s = {r.OfPeak:P0} of the best peak loop ({r.PeakMacsPerSecond / n / 1e9:F1} per thread); "
                    + $"median of {r.Rounds} interleaved round/peak pairs {r.MedianRatio:P0}; sustained {r.SustainedNoncesPerSecond:F1} nonces/s");
            }
            return 0;
        });
        return bench;
    }

    private static double Measure(WorkWeights weights, Int8GemmKernel kernel, int threads, int batch, TimeSpan duration)
    {
        // Whole rounds of one batch per thread until the duration has passed: a loaded machine then measures a
        // slower rate, never zero nonces (which would make every ratio against the baseline infinite).
        var miner = new WorkMiner(weights, new WorkMinerOptions { Threads = threads, BatchSize = batch, Kernel = kernel });
        long round = (long)threads * batch, tried = 0;
        var sw = Stopwatch.StartNew();
        do
        {
            tried += miner.Mine(new byte[32], new byte[32], (ulong)tried, CancellationToken.None, round).NoncesTried;
        }
        while (sw.Elapsed < duration);
        return tried / sw.Elapsed.TotalSeconds;
    }

    private static Option<string> ProfileOption()
    {
        var option = new Option<string>("--profile") { Description = "work profile: devnet, standard or large", DefaultValueFactory = _ => "standard" };
        option.AcceptOnlyFromAmong([.. WorkProfile.All.Select(p => p.Name)]);
        return option;
    }

    private static bool TryProfile(string name, TextWriter error, out WorkProfile profile)
    {
        profile = WorkProfile.FromName(name)!;
        if (profile is not null) return true;
        error.WriteLine($"unknown profile '{name}'");
        return false;
    }

    private static bool TryHex32(string text, string option, TextWriter error, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 64 && text.All(Uri.IsHexDigit))
        {
            bytes = Convert.FromHexString(text);
            return true;
        }
        error.WriteLine($"{option} must be 64 hex digits (32 bytes)");
        return false;
    }

    private static bool TryNonce(string text, TextWriter error, out ulong nonce)
    {
        bool ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out nonce)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out nonce);
        if (!ok) error.WriteLine("--nonce must be an unsigned 64-bit integer, decimal or 0x-prefixed hex");
        return ok;
    }
}
