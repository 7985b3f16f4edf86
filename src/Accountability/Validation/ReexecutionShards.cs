using System.Collections.Concurrent;
using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;
using P2P.InferenceNetwork.Serving;

namespace P2P.Accountability.Validation;

/// <summary>
/// Deterministic-mode shards a validator re-runs receipts on, by (model id, layer range): the served shard when it is
/// the same range in deterministic mode, else one loaded once from the served model's spec.
/// </summary>
public sealed class ReexecutionShards(ModelCatalog catalog, int threads = 1, long kvCacheBytes = 64L << 20) : IDisposable
{
    private readonly ConcurrentDictionary<(string ModelId, int Start, int End), Lazy<TransformerShard?>> _shards = new();
    private readonly ConcurrentBag<TransformerShard> _owned = [];

    /// <summary>The spans of models this node can re-run: any range inside a model it serves.</summary>
    public bool CanRun(string modelId, int start, int end) =>
        catalog.Models.Any(m => m.ModelId == modelId && start >= 0 && start < end && end <= m.Config.NumLayers);

    public TransformerShard? Find(string modelId, int start, int end) =>
        _shards.GetOrAdd((modelId, start, end), key => new Lazy<TransformerShard?>(() => Load(key.ModelId, key.Start, key.End))).Value;

    private TransformerShard? Load(string modelId, int start, int end)
    {
        if (!CanRun(modelId, start, end)) return null;
        var served = catalog.Models.First(m => m.ModelId == modelId);
        var same = catalog.Models.FirstOrDefault(m => m.ModelId == modelId && m.Range.Start == start && m.Range.End == end && m.Shard.Backend.Mode == ComputeMode.Deterministic);
        if (same is not null) return same.Shard;
        var shard = new TransformerShard(ModelLoader.Load(served.Spec, new ShardRange(start, end)), new CpuBackend(ComputeMode.Deterministic, threads), new KvCacheStore(kvCacheBytes));
        _owned.Add(shard);
        return shard;
    }

    public void Dispose()
    {
        foreach (var shard in _owned) shard.Dispose();
    }
}
