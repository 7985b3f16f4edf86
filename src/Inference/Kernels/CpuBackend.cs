using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using P2P.Inference.Numerics;

namespace P2P.Inference.Kernels;

/// <summary>
/// The CPU implementation of <see cref="IComputeBackend"/>. Deterministic mode uses only <see cref="LaneDot"/>
/// reductions, element-wise IEEE operations and <see cref="DeterministicMath"/>; fast mode hands large products to
/// OpenBLAS and uses <see cref="VectorExp"/>.
/// </summary>
public sealed unsafe class CpuBackend : IComputeBackend
{
    /// <summary>Output features per work item: a multiple of the 4-row micro-tile.</summary>
    private const int OutputBlock = 32;

    /// <summary>
    /// Output features per work item of a one-row product (decode): small enough that a 288-output matrix splits
    /// evenly over the threads (9 blocks of 32 left one thread a whole block behind the other), large enough that a
    /// work item streams a few KB of weights. Every output has the same bits whatever the block.
    /// </summary>
    private const int GemvOutputBlock = 16;

    /// <summary>
    /// Bytes of x per pass: each pass streams every weight once, so passes should be few (weights come from DRAM),
    /// while the chunk of x should stay in L2 as the 4-row weight tiles are reused across it from L1.
    /// </summary>
    private const int RowChunkBytes = 512 * 1024;

    private readonly ParallelOptions _parallelOptions;

    /// <param name="kvFormat">the sessions' cache format; null for the mode's default (<see cref="DefaultKvFormat"/>).</param>
    public CpuBackend(ComputeMode mode, int threads = 0, KvFormat? kvFormat = null)
    {
        Mode = mode;
        Threads = threads > 0 ? threads : Environment.ProcessorCount;
        _parallelOptions = new ParallelOptions { MaxDegreeOfParallelism = Threads };
        KvFormat = kvFormat ?? DefaultKvFormat(mode);
        if (KvFormatProblem(mode, KvFormat) is { } problem) throw new ArgumentException(problem, nameof(kvFormat));
    }

    public ComputeMode Mode { get; }
    public int Threads { get; }

    /// <summary>
    /// Binary16 by default in fast mode (long-context decode reads half the cache bytes), float32 in deterministic
    /// mode, which accepts no other: its bits are defined over float32 keys and values.
    /// </summary>
    public KvFormat KvFormat { get; }

    /// <summary>The cache format a backend of this mode uses unless told otherwise.</summary>
    public static KvFormat DefaultKvFormat(ComputeMode mode) => mode == ComputeMode.Fast ? KvFormat.Float16 : KvFormat.Float32;

    /// <summary>Why a backend of this mode cannot cache in this format, or null (the one rule the CLI and the config check too).</summary>
    public static string? KvFormatProblem(ComputeMode mode, KvFormat format) =>
        !Enum.IsDefined(format) ? $"{(int)format} is not a cache format"
        : mode == ComputeMode.Deterministic && format != KvFormat.Float32 ? $"deterministic mode keeps its keys and values in Float32, not {format}"
        : null;

    /// <summary>
    /// Fast mode sends products with at least this many rows of x to OpenBLAS. Smaller (decode-shaped) products are
    /// bound by reading the weights once, which our own kernel does as well.
    /// </summary>
    public int BlasMinRows { get; init; } = 16;

    /// <summary>Fast mode's OpenBLAS products are split into this many blocks of output features per thread.</summary>
    public int BlasPartsPerThread { get; init; } = 2;

    /// <summary>Whether fast mode has OpenBLAS to call.</summary>
    public static bool BlasAvailable => OpenBlas.IsAvailable;

    /// <summary>The instruction path of the deterministic kernels ("avx2-fma", "avx2-fma+avx512-pairs", "arm64-advsimd" or "scalar").</summary>
    public static string KernelPath => LaneDot.Path + (LaneDotWide.IsSupported ? "+avx512-pairs" : "");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void MatMul(float* x, int rows, WeightMatrix weight, float* y)
    {
        if (rows <= 0) return;
        if (Mode == ComputeMode.Fast && OpenBlas.IsAvailable && rows >= BlasMinRows)
        {
            MatMulBlas(x, rows, weight, y);
            return;
        }
        MatMulOwn(x, rows, weight, y);
    }

    /// <summary>
    /// Fast mode's products on OpenBLAS's own threads instead of ours. Off: on the ~110M model's 256-row prefill it
    /// was no faster than our split of the output features (bench --split-experiment, --profile-prefill --blas-split),
    /// and OpenBLAS's spinning pool degrades badly when the cores are shared with other work.
    /// </summary>
    public bool BlasThreading { get; init; }

    /// <summary>
    /// OpenBLAS on its own threads, or on ours: each work item multiplies by one block of output rows with a
    /// single-threaded sgemm.
    /// </summary>
    private void MatMulBlas(float* x, int rows, WeightMatrix weight, float* y)
    {
        int m = weight.Rows, k = weight.Cols;
        if (BlasThreading)
        {
            OpenBlas.MultiplyTransposed(x, rows, k, weight.Data, m, y, Threads);
            return;
        }
        int parts = Math.Max(1, Math.Min(BlasPartsPerThread * Threads, m / 64));
        int block = (m / parts + 15) & ~15;
        parts = (m + block - 1) / block;
        float* w = weight.Data;
        ParallelFor(parts, p =>
        {
            int o0 = p * block, o1 = Math.Min(m, o0 + block);
            OpenBlas.MultiplyTransposed(x, rows, k, w + (long)o0 * k, o1 - o0, y + o0, m, threads: 1);
        });
    }

    /// <summary>The deterministic product, whatever the mode (also the benchmark's "own kernel").</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void MatMulOwn(float* x, int rows, WeightMatrix weight, float* y)
    {
        int m = weight.Rows, k = weight.Cols;
        float* w = weight.Data;
        int block = rows == 1 ? GemvOutputBlock : OutputBlock;
        int blocks = (m + block - 1) / block;
        bool wide = LaneDotWide.IsSupported && UseWideKernels && rows >= 2 && k >= 8;
        int rowChunk = Math.Max(6, RowChunkBytes / (k * sizeof(float)) / 6 * 6);
        for (int r0 = 0; r0 < rows; r0 += rowChunk)
        {
            int chunkRows = Math.Min(rowChunk, rows - r0);
            float* xc = x + (long)r0 * k;
            float* yc = y + (long)r0 * m;
            float* packed = wide ? LaneDotWide.PackPairs(xc, chunkRows, k, k) : null;
            try
            {
                ParallelFor(blocks, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (int b) => LaneDotProduct.Block(xc, k, packed, chunkRows, w, k, k, yc, m, b * block, Math.Min(m, (b + 1) * block)));
            }
            finally
            {
                if (packed != null) NativeMemory.AlignedFree(packed);
            }
        }
    }

    /// <summary>Whether the AVX-512 tiles may be used (they give the same bits; off only to compare the paths).</summary>
    public bool UseWideKernels { get; init; } = true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RmsNorm(float* x, float* weight, float* y, int rows, int dim, float eps)
    {
        for (int r = 0; r < rows; r++)
        {
            float* xr = x + (long)r * dim;
            float* yr = y + (long)r * dim;
            float meanSquare = LaneDot.Dot(xr, xr, dim) / dim;
            float scale = 1f / MathF.Sqrt(meanSquare + eps);
            ElementWise.ScaleMultiply(xr, scale, weight, yr, dim);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ApplyRope(float* vector, int heads, int headDim, float* cos, float* sin)
    {
        int half = headDim / 2;
        for (int h = 0; h < heads; h++)
        {
            float* v = vector + h * headDim;
            for (int i = 0; i < half; i++)
            {
                float a = v[i], b = v[i + half], c = cos[i], s = sin[i];
                v[i] = a * c - b * s;
                v[i + half] = b * c + a * s;
            }
        }
    }

    /// <summary>The lane dot in both modes: as fast as a free-order sum for attention's short vectors.</summary>
    public float Dot(float* a, float* b, int count) => LaneDot.Dot(a, b, count);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void MultiplyAdd(float alpha, float* x, float* y, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated && Fma.IsSupported)
        {
            var a = Vector256.Create(alpha);
            for (; i + 8 <= count; i += 8) Fma.MultiplyAdd(a, Vector256.Load(x + i), Vector256.Load(y + i)).Store(y + i);
        }
        else if (AdvSimd.IsSupported)
        {
            var a = Vector128.Create(alpha);
            for (; i + 4 <= count; i += 4) AdvSimd.FusedMultiplyAdd(Vector128.Load(y + i), a, Vector128.Load(x + i)).Store(y + i);
        }
        for (; i < count; i++) y[i] = MathF.FusedMultiplyAdd(alpha, x[i], y[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Softmax(float* values, int count)
    {
        if (Mode == ComputeMode.Fast)
        {
            ElementWise.SoftmaxFast(values, count);
            return;
        }
        DeterministicSoftmax.Apply(values, count);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SiluMultiply(float* gate, float* up, float* y, int count)
    {
        if (Mode == ComputeMode.Fast)
        {
            ElementWise.SiluMultiplyFast(gate, up, y, count);
            return;
        }
        if (DeterministicVectorMath.IsSupported)
        {
            DeterministicVectorMath.SiluMultiply(gate, up, y, count);
            return;
        }
        for (int i = 0; i < count; i++)
        {
            float g = gate[i];
            y[i] = g / (1f + DeterministicMath.Exp(-g)) * up[i];
        }
    }

    public void Add(float* y, float* x, int count) => ElementWise.Add(y, x, count);

    public float Exp(float x) => Mode == ComputeMode.Deterministic ? DeterministicMath.Exp(x) : MathF.Exp(x);

    public void Attention(in AttentionBatch batch) => CpuAttention.Run(this, batch);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ParallelFor(int count, Action<int> body)
    {
        if (Threads == 1 || count == 1)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        if (UseWorkerTeam)
        {
            (_team ??= WorkerTeam.Of(Threads)).For(count, body);
            return;
        }
        Parallel.For(0, count, _parallelOptions, body);
    }

    /// <summary>Whether parallel loops run on the process's <see cref="WorkerTeam"/> (default) or on the thread pool's Parallel.For.</summary>
    public bool UseWorkerTeam { get; init; } = true;

    private WorkerTeam? _team;
}
