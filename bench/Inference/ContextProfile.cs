using P2P.Inference.Generation;
using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;

namespace P2P.Bench.Inference;

/// <summary>
/// Where a decoded token's time goes at short and at long context (stories15M shape, max_seq 1024): per-operation
/// wall time through <see cref="ProfilingBackend"/>, alternating the two lengths for a few rounds.
/// </summary>
internal static class ContextProfile
{
    public static void Run(int threads, ComputeMode mode)
    {
        var spec = SeededModelSpec.Parse("seed:preset=stories15m,seed=1,max_seq=1024");
        using var weights = TransformerWeights.Load(spec.Config, ShardRange.Full(spec.Config), new SeededTensorSource(spec.Seed));
        var profile = new ProfilingBackend(new CpuBackend(mode, threads));
        var generator = new Generator(new TransformerShard(weights, profile));
        var longPrompt = Enumerable.Range(1, 768).Select(i => i * 7919 % spec.Config.VocabSize).ToArray();
        const int steps = 256;
        Console.WriteLine($"per-token time by operation, {mode.ToString().ToLowerInvariant()} mode ({profile.KvFormat} KV), positions 1–{steps} and 768–{768 + steps}");
        for (int round = 0; round < 4; round++)
        {
            foreach (var (label, prompt) in new[] { ("short", longPrompt[..1]), ("long", longPrompt) })
            {
                profile.Reset();
                var result = generator.Generate(new GenerationRequest { Prompt = prompt, MaxTokens = steps });
                if (round == 0) continue; // warm-up
                Console.WriteLine($"{label}: {(result.Tokens.Count - 1) / result.DecodeTime.TotalSeconds:F1} tokens/s");
                foreach (var (operation, total) in profile.Totals.Where(t => t.Value.Calls >= steps).OrderByDescending(t => t.Value.Seconds).Take(8))
                    Console.WriteLine($"   {operation,-30} {total.Seconds * 1e3 / steps:F3} ms/token  {total.Calls / (double)steps:F1} calls");
            }
        }
    }
}
