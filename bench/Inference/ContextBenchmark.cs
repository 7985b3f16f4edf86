using System.Diagnostics;
using P2P.Inference.Generation;
using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;

namespace P2P.Bench.Inference;

/// <summary>
/// Single-sequence decode tokens/s at short context (positions 1…steps) and at long context (positions from…from+steps)
/// in the same process. Each variant decodes a short and a long session side by side, alternating chunks of a few
/// tokens between them and between variants, so that load from other processes — which on a shared machine moves the
/// rate by ±15 % from one minute to the next — falls on every variant and both lengths alike.
/// </summary>
internal static class ContextBenchmark
{
    public sealed record Variant(string Name, IComputeBackend Backend);

    public sealed record Result(string Name, double Short, double Long);

    private const int Chunk = 16;

    public static IReadOnlyList<Result> Run(TransformerWeights weights, IReadOnlyList<Variant> variants, int longFrom, int steps, int rounds)
    {
        // Shards not disposed: disposing a shard disposes the weights, which the caller owns.
        var shards = variants.Select(v => new TransformerShard(weights, v.Backend)).ToArray();
        int vocab = weights.Config.VocabSize;
        var longPrompt = Enumerable.Range(1, longFrom).Select(i => i * 7919 % vocab).ToArray();
        var shortTime = new double[variants.Count];
        var longTime = new double[variants.Count];
        long counted = 0;
        for (int round = 0; round <= rounds; round++)
        {
            var near = shards.Select(s => new Decoder(s, longPrompt[..1])).ToArray();
            var far = shards.Select(s => new Decoder(s, longPrompt)).ToArray();
            try
            {
                for (int done = 0; done < steps; done += Chunk)
                {
                    int chunk = Math.Min(Chunk, steps - done);
                    for (int v = 0; v < shards.Length; v++)
                    {
                        double a = near[v].Decode(chunk), b = far[v].Decode(chunk);
                        if (round == 0) continue; // round 0 warms the code and is not counted
                        shortTime[v] += a;
                        longTime[v] += b;
                    }
                }
            }
            finally
            {
                foreach (var d in near.Concat(far)) d.Dispose();
            }
            if (round > 0) counted += steps;
        }
        return [.. variants.Select((v, i) => new Result(v.Name, counted / shortTime[i], counted / longTime[i]))];
    }

    /// <summary>One greedy sequence on a shard, prefilled at construction, decoded a chunk at a time.</summary>
    private sealed class Decoder : IDisposable
    {
        private readonly TransformerShard _shard;
        private readonly InferenceSession _session;
        private readonly TokenSampler _sampler = new(new SamplingOptions());
        private float[] _logits;
        private int _token;

        public Decoder(TransformerShard shard, int[] prompt)
        {
            _shard = shard;
            _session = shard.CreateSession();
            var hidden = shard.Embed(prompt);
            shard.Forward([_session], [prompt.Length], hidden);
            _logits = shard.Logits(hidden, [prompt.Length - 1]);
            _token = _sampler.Sample(_logits);
        }

        /// <summary>Decodes count tokens; returns the seconds they took.</summary>
        public double Decode(int count)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < count; i++)
            {
                var hidden = _shard.Embed([_token]);
                _shard.Forward([_session], [1], hidden);
                _logits = _shard.Logits(hidden, [0], reuse: _logits);
                _token = _sampler.Sample(_logits);
            }
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        public void Dispose() => _session.Dispose();
    }
}
