using P2P.Work.Kernels;

namespace P2P.Work;

/// <summary>All layers of a <see cref="WorkWeights"/> packed for one GEMM kernel; built once and shared by every thread.</summary>
internal sealed class PackedWorkWeights
{
    public Int8GemmKernel Kernel { get; }
    public PackedWorkLayer[] Layers { get; }

    /// <summary>The embedding widened to int32 rows, copied straight into the residual stream (§2.4).</summary>
    public int[] EmbeddingRows { get; }

    /// <summary>Σ E[token][c]² per token: the first norm's sums, without a pass over the residual.</summary>
    public long[] EmbeddingSquares { get; }

    public PackedWorkWeights(WorkWeights weights, Int8GemmKernel kernel)
    {
        Kernel = kernel;
        var p = weights.Profile;
        int d = p.ModelDim, f = p.FfnDim;
        EmbeddingRows = Array.ConvertAll(weights.Embedding, w => (int)w);
        EmbeddingSquares = new long[WorkProfile.Vocabulary];
        WorkEpilogues.RowSquares(EmbeddingRows, WorkProfile.Vocabulary, d, EmbeddingSquares);
        Layers = new PackedWorkLayer[p.Layers];
        Parallel.For(0, p.Layers, l =>
        {
            var w = weights.LayerTensors[l];
            var qkv = new sbyte[d * 3 * d];
            for (int k = 0; k < d; k++)
            {
                w.Wq.AsSpan(k * d, d).CopyTo(qkv.AsSpan(k * 3 * d));
                w.Wk.AsSpan(k * d, d).CopyTo(qkv.AsSpan(k * 3 * d + d));
                w.Wv.AsSpan(k * d, d).CopyTo(qkv.AsSpan(k * 3 * d + 2 * d));
            }
            Layers[l] = new PackedWorkLayer
            {
                Qkv = Pack(kernel, qkv, d, 3 * d),
                QkvCorrection = OffsetCorrection(qkv, d, 3 * d),
                Wo = Pack(kernel, w.Wo, d, d),
                WoCorrection = OffsetCorrection(w.Wo, d, d),
                W1 = Pack(kernel, w.W1, d, f),
                W1Correction = OffsetCorrection(w.W1, d, f),
                W2 = Pack(kernel, w.W2, f, d),
            };
        });
    }

    private static byte[] Pack(Int8GemmKernel kernel, sbyte[] matrix, int k, int n)
    {
        var packed = new byte[kernel.PackedLength(k, n)];
        kernel.Pack(matrix, n, 1, k, n, packed);
        return packed;
    }

    /// <summary>128·Σ_k B[k][n]: what Σ (x+128)·w overshoots Σ x·w by (§5).</summary>
    internal static int[] OffsetCorrection(sbyte[] matrix, int k, int n)
    {
        var correction = new int[n];
        for (int kk = 0; kk < k; kk++)
            for (int nn = 0; nn < n; nn++)
                correction[nn] += 128 * matrix[kk * n + nn];
        return correction;
    }
}
