namespace P2P.Inference.Kernels;

/// <summary>
/// One layer's causal self-attention over a batch of rows, as <see cref="IComputeBackend.Attention"/> takes it.
/// Row r of Qkv holds the Heads × HeadDim query floats first (keys and values follow, already copied into the cache);
/// row r of Output receives Heads × HeadDim floats. Query head h reads key/value head h / (Heads / KvHeads).
/// </summary>
public readonly unsafe struct AttentionBatch
{
    public required float* Qkv { get; init; }

    /// <summary>Floats between consecutive rows of Qkv.</summary>
    public required int QkvStride { get; init; }

    public required float* Output { get; init; }
    public required int Heads { get; init; }
    public required int KvHeads { get; init; }
    public required int HeadDim { get; init; }

    /// <summary>The batch's sequences in row order, covering rows [0, Rows) without gaps.</summary>
    public required AttentionSequence[] Sequences { get; init; }

    public int Rows => Sequences.Length == 0 ? 0 : Sequences[^1].FirstRow + Sequences[^1].Rows;

    /// <summary>Floats between consecutive positions of one key/value head (the caches are head-major).</summary>
    public int KvStride => HeadDim;

    /// <summary>Floats between consecutive rows of Output.</summary>
    public int OutputStride => Heads * HeadDim;
}
