using System.Buffers;
using System.Numerics.Tensors;
using P2P.Inference.Kernels;
using P2P.Inference.Models;

namespace P2P.Inference.Runtime;

/// <summary>
/// Fast-mode attention for a block of consecutive query rows of one session (a prompt): per head, the scores are
/// one product Q·Kᵀ and the outputs one product P·V, both through OpenBLAS, instead of a dot product and an axpy per
/// (row, key). Causal masking zeroes the probabilities of keys after each row's position.
/// </summary>
internal static unsafe class BlockAttention
{
    /// <summary>Query rows per block: fewer rows gain little over per-row attention.</summary>
    public const int MinRows = 16;

    /// <summary>Query rows per work item, bounding the score buffer and giving the threads several items per head.</summary>
    private const int MaxRows = 64;

    /// <summary>A run of rows [FirstRow, FirstRow + Rows) of one session at consecutive positions from FirstPosition.</summary>
    public readonly record struct Block(int FirstRow, int Rows, int FirstPosition);

    /// <summary>Splits the batch's rows into runs of one session at consecutive positions, at most MaxRows each.</summary>
    public static Block[] Blocks(InferenceSession[] rowSession, int[] rowPosition)
    {
        var blocks = new List<Block>();
        for (int r = 0; r < rowSession.Length;)
        {
            int end = r + 1;
            while (end < rowSession.Length && end - r < MaxRows && rowSession[end] == rowSession[r] && rowPosition[end] == rowPosition[end - 1] + 1) end++;
            blocks.Add(new Block(r, end - r, rowPosition[r]));
            r = end;
        }
        return blocks.ToArray();
    }

    public static void Attend(ModelConfig c, Block block, int head, float* qkv, float* att, LayerKvCache cache)
    {
        int hd = c.HeadDim, qDim = c.QueryDim, kvDim = c.KvDim, qkvDim = qDim + 2 * kvDim;
        int group = c.NumHeads / c.NumKvHeads;
        int context = block.FirstPosition + block.Rows;
        long kvOffset = (head / group) * hd;
        float[] scoreArray = ArrayPool<float>.Shared.Rent(block.Rows * context);
        try
        {
            fixed (float* scores = scoreArray)
            {
                float* q = qkv + (long)block.FirstRow * qkvDim + head * hd;
                OpenBlas.Multiply(1f / MathF.Sqrt(hd), q, qkvDim, block.Rows, hd, cache.Keys + kvOffset, kvDim, transposeB: true, context, scores, context);
                for (int i = 0; i < block.Rows; i++)
                {
                    int length = block.FirstPosition + i + 1;
                    var row = new Span<float>(scores + (long)i * context, context);
                    TensorPrimitives.SoftMax(row[..length], row[..length]);
                    row[length..].Clear();
                }
                float* output = att + (long)block.FirstRow * qDim + head * hd;
                OpenBlas.Multiply(1f, scores, context, block.Rows, context, cache.Values + kvOffset, kvDim, transposeB: false, hd, output, qDim);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scoreArray);
        }
    }
}
