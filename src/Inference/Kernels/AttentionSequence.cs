namespace P2P.Inference.Kernels;

/// <summary>
/// Rows [FirstRow, FirstRow + Rows) of an <see cref="AttentionBatch"/>: consecutive tokens of one sequence at positions
/// FirstPosition, FirstPosition + 1, …, whose keys and values (for every position up to the last row's) are in
/// Keys and Values head-major: key/value head h starts KvHeadStride floats after head h − 1 and holds one row of
/// HeadDim floats per position, so one head's keys are one contiguous stream.
/// </summary>
public readonly unsafe struct AttentionSequence(int firstRow, int rows, int firstPosition, float* keys, float* values, long kvHeadStride)
{
    public int FirstRow { get; } = firstRow;
    public int Rows { get; } = rows;
    public int FirstPosition { get; } = firstPosition;
    public float* Keys { get; } = keys;
    public float* Values { get; } = values;

    /// <summary>Floats between the first keys (or values) of consecutive key/value heads.</summary>
    public long KvHeadStride { get; } = kvHeadStride;

    /// <summary>Tokens this sequence's last row attends to.</summary>
    public int Context => FirstPosition + Rows;

    /// <summary>Position 0's keys of key/value head h.</summary>
    public float* KeysOf(int kvHead) => Keys + kvHead * KvHeadStride;

    /// <summary>Position 0's values of key/value head h.</summary>
    public float* ValuesOf(int kvHead) => Values + kvHead * KvHeadStride;
}
