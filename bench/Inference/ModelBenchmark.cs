using P2P.Inference.Generation;
using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;

namespace P2P.Bench.Inference;

/// <summary>
/// Prefill and decode tokens/s of a seeded model in both compute modes, single session and batched. The modes are
/// measured alternately, round after round, and each keeps its best round, so that load from other processes
/// biases neither side of the deterministic/fast ratio.
/// </summary>
internal static class ModelBenchmark
{
    public sealed record Result(double PrefillTokensPerSecond, double DecodeTokensPerSecond, double BatchDecodeTokensPerSecond);

    /// <param name="reference">Measured once per round between the modes (returns a rate; the best is kept), so that
    /// a baseline such as OpenBLAS's GEMM sees the same machine state as the model runs.</param>
    public static (Result Fast, Result Deterministic, double Reference) Run(TransformerWeights weights, int threads, int promptLength, int decodeLength,
        int batch, int rounds, Func<double>? reference = null)
    {
        var fast = new Runner(weights, ComputeMode.Fast, threads, promptLength, decodeLength, batch);
        var deterministic = new Runner(weights, ComputeMode.Deterministic, threads, promptLength, decodeLength, batch);
        double best = 0;
        fast.Round();
        deterministic.Round();
        for (int i = 0; i < rounds; i++)
        {
            fast.Round();
            if (reference is not null) best = Math.Max(best, reference());
            deterministic.Round();
        }
        return (fast.Best, deterministic.Best, best);
    }

    private sealed class Runner(TransformerWeights weights, ComputeMode mode, int threads, int promptLength, int decodeLength, int batch)
    {
        private readonly TransformerShard _shard = new(weights, new CpuBackend(mode, threads));
        private readonly int[] _prompt = Enumerable.Range(1, promptLength + batch).Select(i => i % weights.Config.VocabSize).ToArray();

        public Result Best { get; private set; } = new(0, 0, 0);

        public void Round()
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using (var session = _shard.CreateSession())
            {
                var hidden = _shard.Embed(_prompt.AsSpan(0, promptLength));
                _shard.Forward([session], [promptLength], hidden);
                _shard.Logits(hidden, [promptLength - 1]);
            }
            double prefill = promptLength / clock.Elapsed.TotalSeconds;
            var generator = new Generator(_shard);
            var single = generator.Generate(new GenerationRequest { Prompt = _prompt[..8], MaxTokens = decodeLength });
            var batched = generator.GenerateBatch(Enumerable.Range(0, batch)
                .Select(b => new GenerationRequest { Prompt = _prompt[b..(b + 8)], MaxTokens = decodeLength }).ToArray());
            double decode = (single.Tokens.Count - 1) / single.DecodeTime.TotalSeconds;
            double batchDecode = batched.Sum(r => r.Tokens.Count - 1) / batched[0].DecodeTime.TotalSeconds;
            Best = new Result(Math.Max(Best.PrefillTokensPerSecond, prefill), Math.Max(Best.DecodeTokensPerSecond, decode),
                Math.Max(Best.BatchDecodeTokensPerSecond, batchDecode));
        }
    }
}
