using System.Buffers;
using System.Numerics.Tensors;

namespace P2P.Inference.Kernels;

/// <summary>
/// Deterministic-mode attention for a block of consecutive query rows of one sequence, with the bits of per-row
/// attention: the scores Q·Kᵀ come from the <see cref="LaneDot"/> GEMM tiles (each score the bits of one
/// <see cref="LaneDot.Dot"/>), each row's softmax is the backend's, and the value sums run over t in increasing order
/// with one fused multiply-add per step, four rows sharing every load of v_t.
/// </summary>
internal static unsafe class DeterministicBlockAttention
{
    /// <summary>Needs the AVX2+FMA tiles; other machines use per-row attention, which gives the same bits.</summary>
    public static bool IsSupported => LaneDot.HasTiles;

    public static void Attend(IComputeBackend backend, in AttentionBatch batch, AttentionSequence block, int head)
    {
        int hd = batch.HeadDim, kvStride = batch.KvStride;
        int group = batch.Heads / batch.KvHeads;
        int context = block.Context;
        float scale = 1f / MathF.Sqrt(hd);
        float[] scoreArray = ArrayPool<float>.Shared.Rent(block.Rows * context);
        try
        {
            fixed (float* scores = scoreArray)
            {
                float* q = batch.Qkv + (long)block.FirstRow * batch.QkvStride + head * hd;
                LaneDotProduct.Multiply(q, batch.QkvStride, block.Rows, block.KeysOf(head / group), kvStride, context, hd, scores, context);
                for (int i = 0; i < block.Rows; i++)
                {
                    float* row = scores + (long)i * context;
                    int length = block.FirstPosition + i + 1;
                    TensorPrimitives.Multiply(new ReadOnlySpan<float>(row, length), scale, new Span<float>(row, length));
                    backend.Softmax(row, length);
                }
                float* output = batch.Output + (long)block.FirstRow * batch.OutputStride + head * hd;
                WeightedValueSum.AccumulateBlock(backend, scores, context, block.FirstPosition + 1, block.Rows, block.ValuesOf(head / group), kvStride, output, batch.OutputStride, hd);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scoreArray);
        }
    }
}
