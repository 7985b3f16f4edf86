using System.Runtime.Intrinsics.X86;

namespace P2P.Work.Kernels;

/// <summary>
/// C[m][n] = Σ_k A[m][k]·B[k][n] with A unsigned bytes and B int8, accumulated exactly in int32 (docs/work-function.md §5).
/// B is packed once into the kernel's own layout; K must be a multiple of 4 and N a multiple of 16.
/// </summary>
public abstract class Int8GemmKernel
{
    public const int ColumnBlock = 16;

    public abstract string Name { get; }

    public abstract int PackedLength(int k, int n);

    /// <summary>Packs B[kk][nn] = source[kk·rowStride + nn·columnStride] into destination.</summary>
    public abstract void Pack(ReadOnlySpan<sbyte> source, int rowStride, int columnStride, int k, int n, Span<byte> destination);

    /// <summary>Computes C (row stride ldc) from A (m rows of k bytes, row stride lda) and a packed B.</summary>
    public abstract void Multiply(ReadOnlySpan<byte> a, int lda, int m, int k, ReadOnlySpan<byte> packedB, int n, Span<int> c, int ldc);

    /// <summary>
    /// As <see cref="Multiply"/>, but only C[i][j] with j ≤ i is needed (causal attention scores); entries above the
    /// diagonal are left unspecified. Kernels may skip the tiles wholly above it.
    /// </summary>
    public virtual void MultiplyLowerTriangle(ReadOnlySpan<byte> a, int lda, int m, int k, ReadOnlySpan<byte> packedB, int n, Span<int> c, int ldc) =>
        Multiply(a, lda, m, k, packedB, n, c, ldc);

    /// <summary>
    /// As <see cref="Multiply"/> where A[i][kk] = 0 for every kk &gt; i (causal attention probabilities times values): the
    /// same C, and kernels may skip the products with those zeros.
    /// </summary>
    public virtual void MultiplyLowerTriangularA(ReadOnlySpan<byte> a, int lda, int m, int k, ReadOnlySpan<byte> packedB, int n, Span<int> c, int ldc) =>
        Multiply(a, lda, m, k, packedB, n, c, ldc);

    public static Int8GemmKernel Scalar { get; } = new ScalarGemmKernel();

    /// <summary>Every kernel this CPU runs, slowest first.</summary>
    public static IReadOnlyList<Int8GemmKernel> Supported { get; } = BuildSupported();

    /// <summary>The fastest kernel this CPU runs.</summary>
    public static Int8GemmKernel Best => Supported[^1];

    public static Int8GemmKernel? FromName(string name) =>
        Supported.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase));

    private static Int8GemmKernel[] BuildSupported()
    {
        var kernels = new List<Int8GemmKernel> { Scalar };
        if (Avx2.IsSupported) kernels.Add(new Avx2GemmKernel());
        if (AvxVnni.IsSupported) kernels.Add(new AvxVnniGemmKernel());
        // No 512-bit vpmaddwd kernel: on Zen 4 (double-pumped zmm) it measured slower than the AVX2 one.
        if (Avx512VnniGemmKernel.TryCreate() is { } avx512Vnni) kernels.Add(avx512Vnni);
        return [.. kernels];
    }

    protected static void CheckShape(int k, int n)
    {
        if (k <= 0 || k % 4 != 0 || n <= 0 || n % ColumnBlock != 0)
            throw new ArgumentException($"GEMM shape K={k}, N={n}: K must be a positive multiple of 4 and N of {ColumnBlock}");
    }
}
