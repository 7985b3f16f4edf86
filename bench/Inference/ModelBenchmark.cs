using P2P.Inference.Generation;
using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;

namespace P2P.Bench.Inference;

/// <summary>Prefill and decode tokens/s of a seeded model in one compute mode, single session and batched.</summary>
internal static class ModelBenchmark
{
    public sealed record Result(double PrefillTokensPerSecond, double DecodeTokensPerSecond, double BatchDecodeTokensPerSecond);

    public static Result Run(TransformerWeights weights, ComputeMode mode, int threads, int promptLength, int decodeLength, int batch)
    {
        var shard = new TransformerShard(weights, new CpuBackend(mode, threads));
        int vocab = weights.Config.VocabSize;
        int[] prompt = Enumerable.Range(1, promptLength).Select(i => i % vocab).ToArray();
        var prefill = Measure.Best(() =>
        {
            using var session = shard.CreateSession();
            var hidden = shard.Embed(prompt);
            shard.Forward([session], [prompt.Length], hidden);
            shard.Logits(hidden, [prompt.Length - 1]);
        }, repetitions: 3);
        var generator = new Generator(shard);
        double single = Best(() => generator.Generate(new GenerationRequest { Prompt = prompt[..8], MaxTokens = decodeLength }), 1);
        double batched = Best(() => generator.GenerateBatch(
            Enumerable.Range(0, batch).Select(b => new GenerationRequest { Prompt = prompt[b..(b + 8)], MaxTokens = decodeLength }).ToArray()), batch);
        return new Result(promptLength / prefill.TotalSeconds, single, batched);
    }

    /// <summary>Decode tokens/s over all sessions: (tokens − 1 per session) / decode time, best of 3.</summary>
    private static double Best(Func<IReadOnlyList<GenerationResult>> run, int sessions)
    {
        double best = 0;
        for (int i = 0; i < 3; i++)
        {
            var results = run();
            best = Math.Max(best, results.Sum(r => r.Tokens.Count - 1) / results[0].DecodeTime.TotalSeconds);
        }
        return best;
    }

    private static double Best(Func<GenerationResult> run, int sessions) => Best(() => (IReadOnlyList<GenerationResult>)[run()], sessions);
}
