using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;

namespace P2P.Inference.Tests.Support;

/// <summary>
/// A fixed workload whose result bits are hashed: the model split in two shards, a 20-token prefill (large enough for fast mode to use OpenBLAS) and 3 greedy
/// decode steps; hashes every shard's output hidden states and every logits row.
/// </summary>
public static class DeterminismProbe
{
    public static readonly int[] Prompt = [1, 17, 42, 99, 255, 3, 7, 128, 64, 200, 11, 12, 13, 14, 15, 16, 299, 298, 100, 50];

    public static (string Logits, string Hidden, float[] LastLogits) Run(string modelSpec, int threads, ComputeMode mode = ComputeMode.Deterministic,
        KvFormat? kvFormat = null)
    {
        var config = ModelLoader.LoadConfig(modelSpec);
        int split = config.NumLayers / 2;
        var backend = new CpuBackend(mode, threads, kvFormat);
        using var first = new TransformerShard(ModelLoader.Load(modelSpec, new ShardRange(0, split)), backend);
        using var second = new TransformerShard(ModelLoader.Load(modelSpec, new ShardRange(split, config.NumLayers)), backend);
        using var s1 = first.CreateSession();
        using var s2 = second.CreateSession();
        var hiddenStates = new List<float[]>();
        var logitRows = new List<float[]>();
        int[] input = Prompt;
        for (int step = 0; step < 4; step++)
        {
            var h1 = first.RunShard(s1, first.Embed(input));
            var h2 = second.RunShard(s2, h1);
            hiddenStates.Add(h1);
            hiddenStates.Add(h2);
            var logits = second.Logits(h2, [input.Length - 1]);
            logitRows.Add(logits);
            input = [P2P.Inference.Generation.TokenSampler.ArgMax(logits)];
        }
        return (Hashing.Of(logitRows), Hashing.Of(hiddenStates), logitRows[0]);
    }
}
