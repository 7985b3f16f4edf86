using System.Diagnostics;
using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;

namespace P2P.Bench.Inference;

/// <summary>Share of prefill wall time per operation (--profile-prefill, fast mode unless --deterministic).</summary>
internal static class PrefillProfile
{
    public static void Run(SeededModelSpec spec, int threads, int promptLength, bool blasThreading = false, ComputeMode mode = ComputeMode.Fast)
    {
        using var weights = TransformerWeights.Load(spec.Config, ShardRange.Full(spec.Config), new SeededTensorSource(spec.Seed));
        var backend = new ProfilingBackend(new CpuBackend(mode, threads) { BlasThreading = blasThreading });
        var shard = new TransformerShard(weights, backend);
        var prompt = Enumerable.Range(1, promptLength).ToArray();
        double best = double.MaxValue;
        Dictionary<string, (double, long)> bestTotals = [];
        for (int round = 0; round < 12; round++)
        {
            backend.Reset();
            long start = Stopwatch.GetTimestamp();
            using (var session = shard.CreateSession())
            {
                var hidden = shard.Embed(prompt);
                shard.Forward([session], [promptLength], hidden);
                shard.Logits(hidden, [promptLength - 1]);
            }
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (seconds < best)
            {
                best = seconds;
                bestTotals = backend.Totals.ToDictionary(kv => kv.Key, kv => kv.Value);
            }
        }
        Console.WriteLine($"{mode} prefill of {promptLength} tokens ({(blasThreading ? "OpenBLAS threads" : "output features split over our threads")}): {promptLength / best:F1} tokens/s; share of wall time per operation (best round):");
        foreach (var (key, (secs, calls)) in bestTotals.OrderByDescending(kv => kv.Value.Item1))
            Console.WriteLine($"  {key,-32}{secs / best,8:P1}{calls,8} calls");
        Console.WriteLine($"  {"other (unwrapped)",-32}{1 - bestTotals.Values.Sum(v => v.Item1) / best,8:P1}");
    }
}
