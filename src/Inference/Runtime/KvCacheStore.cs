namespace P2P.Inference.Runtime;

/// <summary>
/// Owns the KV memory of a shard's sessions within a byte budget. Caches grow by doubling; when growth would exceed
/// the budget, the least recently used sessions not in a running batch are evicted (their next use throws
/// <see cref="SessionEvictedException"/>). A session disposed while a batch runs on it keeps its memory until the
/// batch ends (<see cref="EndBatch"/>): a gateway may close or reopen a session at any moment, and the forward pass
/// reads and writes the caches outside this store's lock.
/// </summary>
public sealed class KvCacheStore(long budgetBytes)
{
    private readonly LinkedList<InferenceSession> _lru = new();
    private readonly Lock _lock = new();

    public long BudgetBytes { get; } = budgetBytes > 0 ? budgetBytes : throw new ArgumentOutOfRangeException(nameof(budgetBytes));

    public long UsedBytes { get; private set; }

    public int SessionCount
    {
        get
        {
            lock (_lock) return _lru.Count;
        }
    }

    internal void Register(InferenceSession session)
    {
        lock (_lock) session.LruNode = _lru.AddFirst(session);
    }

    /// <summary>
    /// Makes room for the sessions of a batch to hold `needed[i]` positions, evicting others if necessary, and marks
    /// them in use until <see cref="EndBatch"/>.
    /// </summary>
    internal void Reserve(IReadOnlyList<InferenceSession> batch, IReadOnlyList<int> needed, int maxPositions)
    {
        lock (_lock)
        {
            long extra = 0;
            var newCapacity = new int[batch.Count];
            for (int i = 0; i < batch.Count; i++)
            {
                var s = batch[i];
                if (s.Disposed) throw new ObjectDisposedException(nameof(InferenceSession), $"session {s.Id} was disposed");
                if (s.Evicted) throw new SessionEvictedException(s.Id);
                if (needed[i] > maxPositions)
                    throw new InvalidOperationException($"session {s.Id} would reach {needed[i]} positions, beyond the model's {maxPositions}");
                int capacity = s.Capacity;
                if (needed[i] <= capacity) continue;
                int grown = Math.Min(maxPositions, Math.Max(16, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)needed[i])));
                newCapacity[i] = grown;
                extra += s.Caches.Sum(c => c.BytesFor(grown) - c.BytesFor(c.Capacity));
            }
            for (var node = _lru.Last; UsedBytes + extra > BudgetBytes && node is not null;)
            {
                var previous = node.Previous;
                if (!node.Value.InBatch && !batch.Contains(node.Value)) Evict(node.Value);
                node = previous;
            }
            if (UsedBytes + extra > BudgetBytes)
                throw new InvalidOperationException($"KV cache budget of {BudgetBytes} bytes is too small for this batch ({UsedBytes + extra} bytes needed)");
            for (int i = 0; i < batch.Count; i++)
            {
                var s = batch[i];
                if (newCapacity[i] > 0)
                {
                    foreach (var cache in s.Caches) cache.Resize(newCapacity[i]);
                }
                _lru.Remove(s.LruNode!);
                _lru.AddFirst(s.LruNode!);
                s.InBatch = true;
            }
            UsedBytes += extra;
        }
    }

    /// <summary>Ends the batch <see cref="Reserve"/> admitted: frees the caches of its sessions disposed meanwhile.</summary>
    internal void EndBatch(IReadOnlyList<InferenceSession> batch)
    {
        lock (_lock)
        {
            foreach (var s in batch)
            {
                s.InBatch = false;
                if (s.Disposed && s.LruNode is not null) Evict(s);
            }
        }
    }

    private void Evict(InferenceSession session)
    {
        UsedBytes -= session.Bytes;
        session.FreeCaches();
        session.Evicted = true;
        _lru.Remove(session.LruNode!);
        session.LruNode = null;
    }

    internal void Release(InferenceSession session)
    {
        lock (_lock)
        {
            if (session.LruNode is null || session.InBatch) return;
            Evict(session);
        }
    }
}
