using P2P.Inference.Generation;
using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;

namespace P2P.Bench.Inference;

/// <summary>
/// Single-sequence decode tokens/s at short context (positions 1…steps) and at long context (positions from…from+steps)
/// in the same process. Every round runs each mode at both lengths, alternating, so that load from other processes
/// biases neither a mode nor a length; each (mode, length) keeps its best round.
/// </summary>
internal static class ContextBenchmark
{
    public sealed record Result(double Short, double Long);

    public static IReadOnlyList<(ComputeMode Mode, Result Result)> Run(TransformerWeights weights, IReadOnlyList<ComputeMode> modes, int threads,
        int longFrom, int steps, int rounds)
    {
        // Shards not disposed: disposing a shard disposes the weights, which the caller owns.
        var generators = modes.Select(m => new Generator(new TransformerShard(weights, new CpuBackend(m, threads)))).ToArray();
        int vocab = weights.Config.VocabSize;
        var longPrompt = Enumerable.Range(1, longFrom).Select(i => i * 7919 % vocab).ToArray();
        var shortRates = new double[modes.Count];
        var longRates = new double[modes.Count];
        for (int round = 0; round <= rounds; round++)
        {
            for (int m = 0; m < modes.Count; m++)
            {
                // Round 0 warms the code; it is not counted.
                var near = generators[m].Generate(new GenerationRequest { Prompt = longPrompt[..1], MaxTokens = steps });
                var far = generators[m].Generate(new GenerationRequest { Prompt = longPrompt, MaxTokens = steps });
                if (round == 0) continue;
                shortRates[m] = Math.Max(shortRates[m], (near.Tokens.Count - 1) / near.DecodeTime.TotalSeconds);
                longRates[m] = Math.Max(longRates[m], (far.Tokens.Count - 1) / far.DecodeTime.TotalSeconds);
            }
        }
        return [.. modes.Select((mode, m) => (mode, new Result(shortRates[m], longRates[m])))];
    }
}
