using System.Buffers;
using System.Numerics.Tensors;
using P2P.Inference.Kernels;
using P2P.Inference.Models;

namespace P2P.Inference.Runtime;

/// <summary>
/// Deterministic-mode attention for a block of consecutive query rows of one session, with the bits of per-row
/// attention: the scores Q·Kᵀ come from the <see cref="LaneDot"/> GEMM tiles (each score the bits of one
/// <see cref="LaneDot.Dot"/>), each row's softmax is the backend's, and the value sums run over t in increasing order
/// with one fused multiply-add per step, four rows sharing every load of v_t.
/// </summary>
internal static unsafe class DeterministicBlockAttention
{
    /// <summary>Needs the AVX2+FMA tiles; other machines use per-row attention, which gives the same bits.</summary>
    public static bool IsSupported => LaneDot.HasTiles;

    public static void Attend(IComputeBackend backend, ModelConfig c, BlockAttention.Block block, int head, float* qkv, float* att, LayerKvCache cache)
    {
        int hd = c.HeadDim, qDim = c.QueryDim, kvDim = c.KvDim, qkvDim = qDim + 2 * kvDim;
        int group = c.NumHeads / c.NumKvHeads;
        int context = block.FirstPosition + block.Rows;
        long kvOffset = (head / group) * hd;
        float scale = 1f / MathF.Sqrt(hd);
        float[] scoreArray = ArrayPool<float>.Shared.Rent(block.Rows * context);
        try
        {
            fixed (float* scores = scoreArray)
            {
                float* q = qkv + (long)block.FirstRow * qkvDim + head * hd;
                LaneDotProduct.Multiply(q, qkvDim, block.Rows, cache.Keys + kvOffset, kvDim, context, hd, scores, context);
                for (int i = 0; i < block.Rows; i++)
                {
                    float* row = scores + (long)i * context;
                    int length = block.FirstPosition + i + 1;
                    TensorPrimitives.Multiply(new ReadOnlySpan<float>(row, length), scale, new Span<float>(row, length));
                    backend.Softmax(row, length);
                }
                float* output = att + (long)block.FirstRow * qDim + head * hd;
                WeightedValueSum.AccumulateBlock(backend, scores, context, block.FirstPosition + 1, block.Rows, cache.Values + kvOffset, kvDim, output, qDim, hd);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scoreArray);
        }
    }
}
