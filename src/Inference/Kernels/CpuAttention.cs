using System.Buffers;
using System.Runtime.CompilerServices;

namespace P2P.Inference.Kernels;

/// <summary>
/// <see cref="CpuBackend"/>'s attention: prompt-sized runs of rows go to the block kernels (OpenBLAS in fast mode when
/// present, the lane tiles in deterministic mode when the CPU has them), everything else is attended one (row, head)
/// at a time. In deterministic mode every path gives the bits of the per-row one.
/// </summary>
internal static unsafe class CpuAttention
{
    /// <summary>Below this many multiply-adds the work runs inline: waking worker threads costs more.</summary>
    private const long InlineWork = 65536;

    /// <summary>Scores of up to this many positions live on the stack (32 KiB); longer rows rent from the array pool.</summary>
    private const int StackScores = 8192;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(CpuBackend backend, in AttentionBatch batch)
    {
        var b = batch;
        int rows = b.Rows, heads = b.Heads;
        if (rows == 0) return;
        int maxContext = 0;
        foreach (var sequence in b.Sequences) maxContext = Math.Max(maxContext, sequence.Context);
        long work = (long)rows * heads * maxContext * b.HeadDim * 2;
        bool blasBlocks = backend.Mode == ComputeMode.Fast && OpenBlas.IsAvailable;
        bool tileBlocks = backend.Mode == ComputeMode.Deterministic && DeterministicBlockAttention.IsSupported;
        if ((blasBlocks || tileBlocks) && rows >= BlockAttention.MinRows)
        {
            var blocks = BlockAttention.Blocks(b.Sequences);
            RunItems(backend, blocks.Length * heads, work, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (int item) =>
            {
                var block = blocks[item / heads];
                int head = item % heads;
                if (block.Rows >= BlockAttention.MinRows && blasBlocks)
                    BlockAttention.Attend(b, block, head);
                else if (block.Rows >= BlockAttention.MinRows)
                    DeterministicBlockAttention.Attend(backend, b, block, head);
                else
                    for (int i = 0; i < block.Rows; i++) AttendRow(backend, b, block, i, head);
            });
        }
        else
        {
            var rowSequence = new int[rows];
            for (int s = 0; s < b.Sequences.Length; s++)
                rowSequence.AsSpan(b.Sequences[s].FirstRow, b.Sequences[s].Rows).Fill(s);
            RunItems(backend, rows * heads, work, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (int item) =>
            {
                int r = item / heads;
                var sequence = b.Sequences[rowSequence[r]];
                AttendRow(backend, b, sequence, r - sequence.FirstRow, item % heads);
            });
        }
    }

    /// <summary>
    /// Attention of one (row, head): scores dot(q, k_t)·(1/√d) for t ≤ position, softmax, then Σ_t p_t·v_t
    /// accumulated in increasing t with one fused multiply-add per element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AttendRow(CpuBackend backend, in AttentionBatch batch, AttentionSequence sequence, int index, int head)
    {
        int hd = batch.HeadDim;
        int group = batch.Heads / batch.KvHeads;
        float scale = 1f / MathF.Sqrt(hd);
        int r = sequence.FirstRow + index;
        int length = sequence.FirstPosition + index + 1;
        float* q = batch.Qkv + (long)r * batch.QkvStride + head * hd;
        float* output = batch.Output + (long)r * batch.OutputStride + head * hd;
        if (sequence.Format == KvFormat.Float16 && length <= StackScores)
        {
            float* halfScores = stackalloc float[length];
            AttendHalfRow(backend, q, sequence.HalfKeysOf(head / group), sequence.HalfValuesOf(head / group), length, hd, scale, halfScores, output);
            return;
        }
        if (length <= StackScores)
        {
            // The stack, not the pool: the pool's methods would be recompiled (and its per-thread lookups paid) on
            // every row of every decode step.
            float* stackScores = stackalloc float[length];
            AttendRow(backend, batch, q, sequence.KeysOf(head / group), sequence.ValuesOf(head / group), length, scale, stackScores, output);
            return;
        }
        float[] scoreArray = ArrayPool<float>.Shared.Rent(length);
        try
        {
            fixed (float* scores = scoreArray)
            {
                if (sequence.Format == KvFormat.Float16)
                    AttendHalfRow(backend, q, sequence.HalfKeysOf(head / group), sequence.HalfValuesOf(head / group), length, hd, scale, scores, output);
                else
                    AttendRow(backend, batch, q, sequence.KeysOf(head / group), sequence.ValuesOf(head / group), length, scale, scores, output);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scoreArray);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AttendRow(CpuBackend backend, in AttentionBatch batch, float* q, float* keys, float* values, int length, float scale,
        float* scores, float* output)
    {
        int hd = batch.HeadDim, kvStride = batch.KvStride;
        int t = 0;
        if (LaneDot.HasTiles)
        {
            // Four keys per pass over q: the GEMV tile gives each score the bits of LaneDot.Dot. Fast mode uses it
            // too: one Dot call per key costs a horizontal reduction per key, which dominated long contexts.
            for (; t + 4 <= length; t += 4)
            {
                LaneDot.Tile1x4(q, keys + t * (long)kvStride, kvStride, hd, scores + t);
                for (int i = t; i < t + 4; i++) scores[i] *= scale;
            }
        }
        for (; t < length; t++) scores[t] = backend.Dot(q, keys + t * (long)kvStride, hd) * scale;
        backend.Softmax(scores, length);
        WeightedValueSum.Accumulate(backend, scores, length, values, kvStride, output, hd);
    }

    /// <summary>The same attention over a binary16 cache (fast mode only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AttendHalfRow(CpuBackend backend, float* q, ushort* keys, ushort* values, int length, int hd, float scale, float* scores,
        float* output)
    {
        HalfAttention.Scores(q, keys, length, hd, scale, scores);
        backend.Softmax(scores, length);
        HalfAttention.WeightedSum(scores, length, values, hd, output);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunItems(CpuBackend backend, int count, long work, Action<int> body)
    {
        if (work < InlineWork)
        {
            for (int i = 0; i < count; i++) body(i);
        }
        else
        {
            backend.ParallelFor(count, body);
        }
    }
}
