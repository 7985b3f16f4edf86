namespace P2P.Inference.Kernels;

/// <summary>
/// Rows [FirstRow, FirstRow + Rows) of an <see cref="AttentionBatch"/>: consecutive tokens of one sequence at positions
/// FirstPosition, FirstPosition + 1, …, whose keys and values (for every position up to the last row's) are in
/// Keys and Values head-major: key/value head h starts KvHeadStride elements after head h − 1 and holds one row of
/// HeadDim elements per position, so one head's keys are one contiguous stream. Elements are float32, or binary16
/// when Format is <see cref="KvFormat.Float16"/>.
/// </summary>
public readonly unsafe struct AttentionSequence(int firstRow, int rows, int firstPosition, void* keys, void* values, long kvHeadStride,
    KvFormat format = KvFormat.Float32)
{
    public int FirstRow { get; } = firstRow;
    public int Rows { get; } = rows;
    public int FirstPosition { get; } = firstPosition;
    public void* Keys { get; } = keys;
    public void* Values { get; } = values;
    public KvFormat Format { get; } = format;

    /// <summary>Elements between the first keys (or values) of consecutive key/value heads.</summary>
    public long KvHeadStride { get; } = kvHeadStride;

    /// <summary>Tokens this sequence's last row attends to.</summary>
    public int Context => FirstPosition + Rows;

    /// <summary>The same keys and values for rows [FirstRow + offset, +rows).</summary>
    public AttentionSequence Slice(int offset, int rows) =>
        new(FirstRow + offset, rows, FirstPosition + offset, Keys, Values, KvHeadStride, Format);

    /// <summary>Position 0's keys of key/value head h (float32 caches).</summary>
    public float* KeysOf(int kvHead) => Format == KvFormat.Float32 ? (float*)Keys + kvHead * KvHeadStride : throw NotFloat32();

    /// <summary>Position 0's values of key/value head h (float32 caches).</summary>
    public float* ValuesOf(int kvHead) => Format == KvFormat.Float32 ? (float*)Values + kvHead * KvHeadStride : throw NotFloat32();

    /// <summary>Position 0's keys of key/value head h (binary16 caches).</summary>
    public ushort* HalfKeysOf(int kvHead) => Format == KvFormat.Float16 ? (ushort*)Keys + kvHead * KvHeadStride : throw NotFloat16();

    /// <summary>Position 0's values of key/value head h (binary16 caches).</summary>
    public ushort* HalfValuesOf(int kvHead) => Format == KvFormat.Float16 ? (ushort*)Values + kvHead * KvHeadStride : throw NotFloat16();

    private InvalidOperationException NotFloat32() => new($"the cache holds {Format}, not Float32");

    private InvalidOperationException NotFloat16() => new($"the cache holds {Format}, not Float16");
}
