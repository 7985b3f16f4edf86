using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using P2P.Inference.Kernels;
using P2P.Inference.Models;

namespace P2P.Inference.Runtime;

/// <summary>
/// Runs layers [a, b) of a Llama model over a batch of sessions: each session contributes a run of consecutive
/// tokens (a prompt, or one token when decoding), all rows share one pass over the weights, and each session's keys
/// and values are kept in its KV cache. Calls are serialised per shard.
/// </summary>
public sealed unsafe class TransformerShard : IDisposable
{
    private readonly RopeTable _rope;
    private readonly Lock _forwardLock = new();
    private readonly ShardLifetime _lifetime = new();
    private long _nextSessionId;

    public TransformerShard(TransformerWeights weights, IComputeBackend backend, KvCacheStore? cache = null)
    {
        Weights = weights;
        Backend = backend;
        Cache = cache ?? new KvCacheStore(1L << 30);
        _rope = new RopeTable(Config.HeadDim, Config.RopeTheta);
    }

    public TransformerWeights Weights { get; }
    public IComputeBackend Backend { get; }
    public KvCacheStore Cache { get; }
    public ModelConfig Config => Weights.Config;
    public ShardRange Range => Weights.Range;
    public bool HasEmbeddings => Weights.HasEmbeddings;
    public bool HasHead => Weights.HasHead;

    /// <summary>Whether <see cref="Dispose"/> has begun: calls are refused, running ones finish first.</summary>
    internal bool IsDisposed => _lifetime.IsDisposed;

    public InferenceSession CreateSession()
    {
        var session = new InferenceSession(Interlocked.Increment(ref _nextSessionId), Range.Count, Config.NumKvHeads, Config.HeadDim, Backend.KvFormat, Cache);
        Cache.Register(session);
        return session;
    }

    /// <summary>Embedding rows for token ids (first shard only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float[] Embed(ReadOnlySpan<int> tokens)
    {
        var embedding = HasEmbeddings ? Weights.Embedding! : throw new InvalidOperationException($"shard {Range} has no embeddings");
        using var use = _lifetime.Enter();
        int d = Config.HiddenSize;
        var hidden = new float[tokens.Length * d];
        for (int i = 0; i < tokens.Length; i++)
        {
            if ((uint)tokens[i] >= (uint)Config.VocabSize)
                throw new ArgumentOutOfRangeException(nameof(tokens), $"token id {tokens[i]} is outside the vocabulary of {Config.VocabSize}");
            embedding.Row(tokens[i]).CopyTo(hidden.AsSpan(i * d, d));
        }
        return hidden;
    }

    /// <summary>Runs one session's hidden states [rows × hidden] through the shard and returns the output states.</summary>
    public float[] RunShard(InferenceSession session, float[] hidden)
    {
        var output = (float[])hidden.Clone();
        Forward([session], [hidden.Length / Config.HiddenSize], output);
        return output;
    }

    /// <summary>
    /// In place: hidden holds Σ lengths rows; rows [offset_i, offset_i + lengths[i]) are the next tokens of sessions[i].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(IReadOnlyList<InferenceSession> sessions, IReadOnlyList<int> lengths, float[] hidden)
    {
        // Plain loops, not LINQ: this runs once per decode step, and generic framework code would start unoptimised.
        if (sessions.Count != lengths.Count) throw new ArgumentException("one length per session is required");
        int d = Config.HiddenSize;
        int rows = 0;
        for (int i = 0; i < sessions.Count; i++)
        {
            if (lengths[i] <= 0) throw new ArgumentException("every session must contribute at least one row");
            rows += lengths[i];
            for (int j = 0; j < i; j++)
            {
                if (ReferenceEquals(sessions[j], sessions[i])) throw new ArgumentException("a session may appear only once per batch");
            }
        }
        if (hidden.Length != rows * d) throw new ArgumentException($"hidden states must be {rows} × {d} floats, got {hidden.Length}");
        using var use = _lifetime.Enter();
        lock (_forwardLock)
        {
            var needed = new int[sessions.Count];
            int longest = 0;
            for (int i = 0; i < needed.Length; i++)
            {
                needed[i] = sessions[i].Position + lengths[i];
                longest = Math.Max(longest, needed[i]);
            }
            Cache.Reserve(sessions, needed, Config.MaxPositions);
            try
            {
                _rope.EnsureCapacity(longest);
                var rowSession = new InferenceSession[rows];
                var rowPosition = new int[rows];
                var sequences = new SessionRows[sessions.Count];
                for (int i = 0, r = 0; i < sessions.Count; i++)
                {
                    sequences[i] = new SessionRows(sessions[i], r, lengths[i], sessions[i].Position);
                    for (int j = 0; j < lengths[i]; j++, r++)
                    {
                        rowSession[r] = sessions[i];
                        rowPosition[r] = sessions[i].Position + j;
                    }
                }
                using var scratch = new ForwardScratch(Config, rows);
                fixed (float* h = hidden)
                {
                    for (int layer = 0; layer < Range.Count; layer++)
                        RunLayer(layer, h, rows, rowSession, rowPosition, sequences, scratch);
                }
                for (int i = 0; i < sessions.Count; i++) sessions[i].Position += lengths[i];
            }
            finally
            {
                Cache.EndBatch(sessions);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunLayer(int layer, float* h, int rows, InferenceSession[] rowSession, int[] rowPosition, SessionRows[] sequences, ForwardScratch s)
    {
        var w = Weights.Layers[layer];
        var c = Config;
        var be = Backend;
        int d = c.HiddenSize, hd = c.HeadDim, qDim = c.QueryDim, kvDim = c.KvDim, qkvDim = qDim + 2 * kvDim, ffn = c.IntermediateSize;
        float* xn = s.Normed, qkv = s.Qkv, att = s.Attention, tmp = s.Temp, gu = s.GateUp, act = s.Activated;

        be.RmsNorm(h, w.AttentionNorm.Data, xn, rows, d, c.RmsNormEps);
        be.MatMul(xn, rows, w.QueryKeyValue, qkv);
        RunRows(rows, (long)rows * qkvDim, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (int r) =>
        {
            float* row = qkv + (long)r * qkvDim;
            int position = rowPosition[r];
            _rope.Apply(be, row, c.NumHeads, hd, position);
            _rope.Apply(be, row + qDim, c.NumKvHeads, hd, position);
            rowSession[r].Caches[layer].Write(position, row + qDim, row + qDim + kvDim);
        });
        be.Attention(new AttentionBatch
        {
            Qkv = qkv,
            QkvStride = qkvDim,
            Output = att,
            Heads = c.NumHeads,
            KvHeads = c.NumKvHeads,
            HeadDim = hd,
            Sequences = AttentionSequences(sequences, layer),
        });
        be.MatMul(att, rows, w.Output, tmp);
        be.Add(h, tmp, rows * d);

        be.RmsNorm(h, w.FeedForwardNorm.Data, xn, rows, d, c.RmsNormEps);
        be.MatMul(xn, rows, w.GateUp, gu);
        RunRows(rows, (long)rows * ffn * 16, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (int r) => be.SiluMultiply(gu + (long)r * 2 * ffn, gu + (long)r * 2 * ffn + ffn, act + (long)r * ffn, ffn));
        be.MatMul(act, rows, w.Down, tmp);
        be.Add(h, tmp, rows * d);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static AttentionSequence[] AttentionSequences(SessionRows[] sequences, int layer)
    {
        var result = new AttentionSequence[sequences.Length];
        for (int i = 0; i < sequences.Length; i++)
        {
            var (session, firstRow, rows, firstPosition) = sequences[i];
            var cache = session.Caches[layer];
            result[i] = new AttentionSequence(firstRow, rows, firstPosition, cache.Keys, cache.Values, cache.HeadStride, cache.Format);
        }
        return result;
    }

    /// <summary>Small work runs inline: waking worker threads costs more than a few thousand operations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunRows(int count, long work, Action<int> body)
    {
        if (work < 65536)
        {
            for (int i = 0; i < count; i++) body(i);
        }
        else
        {
            Backend.ParallelFor(count, body);
        }
    }

    /// <summary>
    /// Final norm and head for the listed rows of hidden: [rowIndices.Count × vocab] logits (last shard only), written
    /// into reuse when it has exactly that length (a generator's buffer: a fresh 128 KB array per token made the
    /// collector run a full collection every ~25 tokens), else into a new array.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float[] Logits(float[] hidden, IReadOnlyList<int> rowIndices, float[]? reuse = null)
    {
        if (!HasHead) throw new InvalidOperationException($"shard {Range} has no head");
        using var use = _lifetime.Enter();
        int d = Config.HiddenSize, n = rowIndices.Count;
        var logits = reuse is not null && reuse.Length == n * Config.VocabSize ? reuse : GC.AllocateUninitializedArray<float>(n * Config.VocabSize);
        float* rows = (float*)NativeMemory.AlignedAlloc((nuint)(2L * n * d * sizeof(float)), 64);
        try
        {
            for (int i = 0; i < n; i++) hidden.AsSpan(rowIndices[i] * d, d).CopyTo(new Span<float>(rows + (long)i * d, d));
            float* normed = rows + (long)n * d;
            Backend.RmsNorm(rows, Weights.FinalNorm!.Data, normed, n, d, Config.RmsNormEps);
            fixed (float* y = logits) Backend.MatMul(normed, n, Weights.Head!, y);
        }
        finally
        {
            NativeMemory.AlignedFree(rows);
        }
        return logits;
    }

    /// <summary>Frees the weights once the calls running on them end (see <see cref="ShardLifetime"/>); later calls throw.</summary>
    public void Dispose() => _lifetime.Dispose(Weights.Dispose);

    /// <summary>Rows [FirstRow, FirstRow + Rows) of a batch are the next tokens of Session, from FirstPosition.</summary>
    private readonly record struct SessionRows(InferenceSession Session, int FirstRow, int Rows, int FirstPosition);
}
