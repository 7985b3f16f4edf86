using P2P.Inference.Kernels;

namespace P2P.Inference.Runtime;

/// <summary>One sequence being run through a shard: its position and its per-layer KV cache.</summary>
public sealed class InferenceSession : IDisposable
{
    private readonly KvCacheStore _store;

    internal InferenceSession(long id, int layers, int kvHeads, int headDim, KvFormat format, KvCacheStore store)
    {
        Id = id;
        _store = store;
        Caches = new LayerKvCache[layers];
        for (int i = 0; i < layers; i++) Caches[i] = new LayerKvCache(kvHeads, headDim, format);
    }

    public long Id { get; }

    /// <summary>Tokens already processed (the position of the next token).</summary>
    public int Position { get; internal set; }

    public bool Evicted { get; internal set; }

    public bool Disposed { get; private set; }

    internal LayerKvCache[] Caches { get; }

    internal int Capacity => Caches.Length == 0 ? int.MaxValue : Caches[0].Capacity;

    internal long Bytes => Caches.Sum(c => c.BytesFor(c.Capacity));

    internal LinkedListNode<InferenceSession>? LruNode { get; set; }

    /// <summary>Whether a forward pass is using the caches (set and cleared under the store's lock).</summary>
    internal bool InBatch { get; set; }

    internal void FreeCaches()
    {
        foreach (var cache in Caches) cache.Dispose();
    }

    public void Dispose()
    {
        if (Disposed) return;
        Disposed = true;
        _store.Release(this);
    }
}
