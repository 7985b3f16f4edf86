namespace P2P.Inference.Models;

/// <summary>
/// Weights generated from (config, seed) with no file: every node builds the same bits.
/// Tensor key = SplitMix64.Mix(seed XOR FNV-1a-64(name)); element i of a matrix with C columns is
/// ((u + 0.5)·2⁻²³ − 1) · (1/√C) in double arithmetic, rounded to float, where u = SplitMix64.At(key, i) &gt;&gt; 40
/// (24 bits) — uniform on (−1/√C, 1/√C). Norm weights are 1.
/// </summary>
public sealed unsafe class SeededTensorSource(ulong seed) : ITensorSource
{
    public ulong Seed { get; } = seed;

    public string Description => $"seed {Seed}";

    public bool Contains(string name) => true;

    public void Read(string name, int[] shape, float* destination)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (shape.Length == 1 || name.EndsWith("norm.weight", StringComparison.Ordinal))
        {
            new Span<float>(destination, checked((int)count)).Fill(1f);
            return;
        }
        ulong key = SplitMix64.Mix(Seed ^ SplitMix64.Fnv1a(name));
        double scale = 1.0 / Math.Sqrt(shape[^1]);
        const int chunk = 1 << 16;
        long chunks = (count + chunk - 1) / chunk;
        Parallel.For(0, chunks, c =>
        {
            long end = Math.Min(count, (c + 1) * chunk);
            for (long i = c * chunk; i < end; i++)
            {
                ulong u = SplitMix64.At(key, (ulong)i) >> 40;
                destination[i] = (float)(((u + 0.5) * (1.0 / (1 << 23)) - 1.0) * scale);
            }
        });
    }

    public void Dispose()
    {
    }
}
