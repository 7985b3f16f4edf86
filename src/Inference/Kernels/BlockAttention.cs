using System.Buffers;
using System.Numerics.Tensors;

namespace P2P.Inference.Kernels;

/// <summary>
/// Fast-mode attention for a block of consecutive query rows of one sequence (a prompt): per head, the scores are
/// one product Q·Kᵀ and the outputs one product P·V, both through OpenBLAS, instead of a dot product and an axpy per
/// (row, key). Causal masking zeroes the probabilities of keys after each row's position.
/// </summary>
internal static unsafe class BlockAttention
{
    /// <summary>Query rows per block: fewer rows gain little over per-row attention.</summary>
    public const int MinRows = 16;

    /// <summary>Query rows per work item, bounding the score buffer and giving the threads several items per head.</summary>
    private const int MaxRows = 64;

    /// <summary>Splits each sequence into blocks of at most MaxRows rows (each block is itself a sequence).</summary>
    public static AttentionSequence[] Blocks(AttentionSequence[] sequences)
    {
        var blocks = new List<AttentionSequence>();
        foreach (var s in sequences)
        {
            for (int offset = 0; offset < s.Rows; offset += MaxRows)
                blocks.Add(s.Slice(offset, Math.Min(MaxRows, s.Rows - offset)));
        }
        return blocks.ToArray();
    }

    public static void Attend(in AttentionBatch batch, AttentionSequence block, int head)
    {
        int hd = batch.HeadDim, kvStride = batch.KvStride;
        int group = batch.Heads / batch.KvHeads;
        int context = block.Context;
        float[] scoreArray = ArrayPool<float>.Shared.Rent(block.Rows * context);
        // A binary16 cache is widened for OpenBLAS: a prompt block's products reuse every key and value row many times.
        float[]? widened = block.Format == KvFormat.Float16 ? ArrayPool<float>.Shared.Rent(2 * context * hd) : null;
        try
        {
            fixed (float* scores = scoreArray, wide = widened)
            {
                float* keys, values;
                if (wide != null)
                {
                    keys = wide;
                    values = wide + (long)context * hd;
                    TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(block.HalfKeysOf(head / group), context * hd), new Span<float>(keys, context * hd));
                    TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(block.HalfValuesOf(head / group), context * hd), new Span<float>(values, context * hd));
                }
                else
                {
                    keys = block.KeysOf(head / group);
                    values = block.ValuesOf(head / group);
                }
                float* q = batch.Qkv + (long)block.FirstRow * batch.QkvStride + head * hd;
                OpenBlas.Multiply(1f / MathF.Sqrt(hd), q, batch.QkvStride, block.Rows, hd, keys, kvStride, transposeB: true, context, scores, context);
                for (int i = 0; i < block.Rows; i++)
                {
                    int length = block.FirstPosition + i + 1;
                    var row = new Span<float>(scores + (long)i * context, context);
                    TensorPrimitives.SoftMax(row[..length], row[..length]);
                    row[length..].Clear();
                }
                float* output = batch.Output + (long)block.FirstRow * batch.OutputStride + head * hd;
                OpenBlas.Multiply(1f, scores, context, block.Rows, context, values, kvStride, transposeB: false, hd, output, batch.OutputStride);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scoreArray);
            if (widened is not null) ArrayPool<float>.Shared.Return(widened);
        }
    }
}
