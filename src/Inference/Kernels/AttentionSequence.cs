namespace P2P.Inference.Kernels;

/// <summary>
/// Rows [FirstRow, FirstRow + Rows) of an <see cref="AttentionBatch"/>: consecutive tokens of one sequence at positions
/// FirstPosition, FirstPosition + 1, …, whose keys and values (for every position up to the last row's) are in
/// Keys and Values, one row of KvHeads × HeadDim floats per position.
/// </summary>
public readonly unsafe struct AttentionSequence(int firstRow, int rows, int firstPosition, float* keys, float* values)
{
    public int FirstRow { get; } = firstRow;
    public int Rows { get; } = rows;
    public int FirstPosition { get; } = firstPosition;
    public float* Keys { get; } = keys;
    public float* Values { get; } = values;

    /// <summary>Tokens this sequence's last row attends to.</summary>
    public int Context => FirstPosition + Rows;
}
