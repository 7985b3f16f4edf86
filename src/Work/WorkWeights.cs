using System.Collections.Concurrent;

namespace P2P.Work;

/// <summary>The int8 weights of one (profile, seed), expanded from the PRF (docs/work-function.md §2.2); immutable once built.</summary>
public sealed class WorkWeights
{
    private static readonly ConcurrentDictionary<(string, string), Lazy<WorkWeights>> Cache = new();
    private const int CacheLimit = 4;

    public WorkProfile Profile { get; }
    public byte[] Seed { get; }

    /// <summary>Embedding table, [256][d] row-major.</summary>
    public sbyte[] Embedding { get; }

    /// <summary>Per layer: Wq, Wk, Wv, Wo ([d][d]), W1 ([d][F]), W2 ([F][d]), each [in][out] row-major.</summary>
    public LayerWeights[] LayerTensors { get; }

    private readonly ConcurrentDictionary<string, Lazy<PackedWorkWeights>> _packed = new();

    /// <summary>These weights in the layout of a GEMM kernel, packed on first use.</summary>
    internal PackedWorkWeights PackedFor(Kernels.Int8GemmKernel kernel) =>
        _packed.GetOrAdd(kernel.Name, _ => new Lazy<PackedWorkWeights>(() => new PackedWorkWeights(this, kernel))).Value;

    private WorkWeights(WorkProfile profile, byte[] seed)
    {
        profile.Validate();
        Profile = profile;
        Seed = seed;
        int d = profile.ModelDim, f = profile.FfnDim;
        Embedding = new sbyte[WorkProfile.Vocabulary * d];
        LayerTensors = new LayerWeights[profile.Layers];
        for (int l = 0; l < profile.Layers; l++)
            LayerTensors[l] = new LayerWeights(new sbyte[d * d], new sbyte[d * d], new sbyte[d * d], new sbyte[d * d], new sbyte[d * f], new sbyte[f * d]);

        var tensors = new List<sbyte[]> { Embedding };
        foreach (var layer in LayerTensors)
            tensors.AddRange([layer.Wq, layer.Wk, layer.Wv, layer.Wo, layer.W1, layer.W2]);
        Parallel.For(0, tensors.Count, i => Expand(seed, i, tensors[i]));
    }

    /// <summary>Expands (or returns the cached) weights of a profile for a 32-byte epoch seed.</summary>
    public static WorkWeights For(WorkProfile profile, ReadOnlySpan<byte> seed)
    {
        WorkPrf.RequireLength(seed, "seed");
        var seedCopy = seed.ToArray();
        var key = (profile.Name, Convert.ToHexString(seedCopy));
        if (Cache.Count >= CacheLimit && !Cache.ContainsKey(key))
            Cache.Clear();
        return Cache.GetOrAdd(key, _ => new Lazy<WorkWeights>(() => new WorkWeights(profile, seedCopy))).Value;
    }

    /// <summary>Bytes of stream tensorIndex mapped to int8: 0x80 becomes 0, every other byte is its two's-complement value.</summary>
    private static void Expand(byte[] seed, int tensorIndex, sbyte[] tensor)
    {
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(tensor.AsSpan());
        WorkPrf.Weights(seed, tensorIndex, bytes);
        foreach (ref byte b in bytes)
            if (b == 0x80) b = 0;
    }
}
