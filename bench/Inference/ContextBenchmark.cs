using P2P.Inference.Generation;
using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;

namespace P2P.Bench.Inference;

/// <summary>
/// Single-sequence decode tokens/s at short context (positions 1…steps) and at long context (positions from…from+steps)
/// in the same process, the two alternating round after round; each keeps its best round.
/// </summary>
internal static class ContextBenchmark
{
    public sealed record Result(double Short, double Long);

    public static Result Run(TransformerWeights weights, ComputeMode mode, int threads, int longFrom, int steps, int rounds)
    {
        // Not disposed: disposing a shard disposes the weights, which the caller shares between the modes.
        var shard = new TransformerShard(weights, new CpuBackend(mode, threads));
        var generator = new Generator(shard);
        int vocab = weights.Config.VocabSize;
        var longPrompt = Enumerable.Range(1, longFrom).Select(i => i * 7919 % vocab).ToArray();
        double shortRate = 0, longRate = 0;
        for (int round = 0; round <= rounds; round++)
        {
            // Round 0 warms the code; it is not counted.
            var near = generator.Generate(new GenerationRequest { Prompt = longPrompt[..1], MaxTokens = steps });
            var far = generator.Generate(new GenerationRequest { Prompt = longPrompt, MaxTokens = steps });
            if (round == 0) continue;
            shortRate = Math.Max(shortRate, (near.Tokens.Count - 1) / near.DecodeTime.TotalSeconds);
            longRate = Math.Max(longRate, (far.Tokens.Count - 1) / far.DecodeTime.TotalSeconds);
        }
        return new Result(shortRate, longRate);
    }
}
