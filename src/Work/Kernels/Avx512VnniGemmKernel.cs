using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace P2P.Work.Kernels;

/// <summary>
/// AVX512-VNNI kernel: 512-bit vpdpbusd (64 u8×s8 multiply-adds per instruction) for CPUs such as AMD Zen 4 that have
/// AVX512-VNNI but neither the VEX AVX-VNNI nor AVX10 that .NET 10 exposes it through. The register tiles are the
/// machine code of Avx512VnniTiles.s, mapped executable once; B in <see cref="ByteQuadLayout"/>.
/// </summary>
internal sealed unsafe class Avx512VnniGemmKernel : Int8GemmKernel
{
    private const int Rows = 6;
    private const int Panels = 4;
    private const int Avx512VnniCpuIdBit = 1 << 11; // CPUID.(EAX=7,ECX=0):ECX[bit 11]

    private readonly delegate* unmanaged[SuppressGCTransition]<byte**, byte*, nint, int**, nint, void> _tile6x4;
    private readonly delegate* unmanaged[SuppressGCTransition]<byte**, byte*, nint, int**, nint, void> _tile6x1;
    private readonly delegate* unmanaged<nint, int> _peak;

    private Avx512VnniGemmKernel(byte* code)
    {
        _tile6x4 = (delegate* unmanaged[SuppressGCTransition]<byte**, byte*, nint, int**, nint, void>)(code + Avx512VnniTiles.Tile6x4Offset);
        _tile6x1 = (delegate* unmanaged[SuppressGCTransition]<byte**, byte*, nint, int**, nint, void>)(code + Avx512VnniTiles.Tile6x1Offset);
        _peak = (delegate* unmanaged<nint, int>)(code + Avx512VnniTiles.PeakOffset);
    }

    /// <summary>bench/Work's peak loop: 12 independent 512-bit vpdpbusd per iteration (768 MACs).</summary>
    public int PeakLoop(long iterations) => _peak((nint)Math.Max(1, iterations));

    /// <summary>The kernel, where the CPU has AVX512-VNNI, the runtime has AVX-512 enabled (DOTNET_EnableAVX512=0
    /// turns it off with the other AVX-512 paths) and the OS lets us map executable code.</summary>
    public static Avx512VnniGemmKernel? TryCreate()
    {
        if (!Avx512F.IsSupported || !Avx512BW.IsSupported || !X86Base.IsSupported) return null;
        if ((X86Base.CpuId(7, 0).Ecx & Avx512VnniCpuIdBit) == 0) return null;
        byte* code = ExecutableCode.TryMap(Avx512VnniTiles.Code);
        return code is null ? null : new Avx512VnniGemmKernel(code);
    }

    public override string Name => "avx512-vnni";

    public override int PackedLength(int k, int n) => ByteQuadLayout.PackedLength(k, n);

    public override void Pack(ReadOnlySpan<sbyte> source, int rowStride, int columnStride, int k, int n, Span<byte> destination)
    {
        CheckShape(k, n);
        ByteQuadLayout.Pack(source, rowStride, columnStride, k, n, destination);
    }

    public override void Multiply(ReadOnlySpan<byte> a, int lda, int m, int k, ReadOnlySpan<byte> packedB, int n, Span<int> c, int ldc) =>
        Run(a, lda, m, k, packedB, n, c, ldc, Causality.None);

    public override void MultiplyLowerTriangle(ReadOnlySpan<byte> a, int lda, int m, int k, ReadOnlySpan<byte> packedB, int n, Span<int> c, int ldc) =>
        Run(a, lda, m, k, packedB, n, c, ldc, Causality.LowerTriangleOfC);

    public override void MultiplyLowerTriangularA(ReadOnlySpan<byte> a, int lda, int m, int k, ReadOnlySpan<byte> packedB, int n, Span<int> c, int ldc) =>
        Run(a, lda, m, k, packedB, n, c, ldc, Causality.LowerTriangularA);

    private enum Causality { None, LowerTriangleOfC, LowerTriangularA }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Run(ReadOnlySpan<byte> a, int lda, int m, int k, ReadOnlySpan<byte> packedB, int n, Span<int> c, int ldc, Causality causality)
    {
        CheckShape(k, n);
        if (m <= 0) return;
        // The native tiles trust their pointers: every bound is checked here, before the first call.
        if (a.Length < (m - 1) * lda + k || c.Length < (m - 1) * ldc + n || packedB.Length < k * n)
            throw new ArgumentException("GEMM operand too short");
        // A partial last row tile runs the full kernel: its missing rows re-read row 0 and write to a scratch tile.
        Span<int> discard = stackalloc int[Rows * Panels * ColumnBlock];
        fixed (byte* pa = a)
        fixed (byte* pb = packedB)
        fixed (int* pc = c)
        fixed (int* scratch = discard)
        {
            byte** rowsA = stackalloc byte*[Rows];
            int** rowsC = stackalloc int*[Rows];
            nint panelBytes = (nint)ColumnBlock * k;
            for (int panel = 0; panel < n; panel += Panels * ColumnBlock)
            {
                int panels = Math.Min(Panels, (n - panel) / ColumnBlock);
                byte* bPanel = pb + (long)panel * k;
                for (int row = 0; row < m; row += Rows)
                {
                    // Causal shapes: the tile's rows end before rowEnd, so C columns ≥ rowEnd (scores above the
                    // diagonal) and A columns ≥ rowEnd (zero probabilities) never matter to it.
                    int rowEnd = row + Rows, tilePanels = panels, k4 = k / 4;
                    if (causality == Causality.LowerTriangleOfC)
                        tilePanels = Math.Min(panels, (rowEnd - panel + ColumnBlock - 1) / ColumnBlock);
                    else if (causality == Causality.LowerTriangularA)
                        k4 = Math.Min(k4, (rowEnd + 3) / 4);
                    if (tilePanels <= 0) continue;
                    for (int r = 0; r < Rows; r++)
                    {
                        bool real = row + r < m;
                        rowsA[r] = pa + (long)(real ? row + r : 0) * lda;
                        rowsC[r] = real ? pc + (long)(row + r) * ldc + panel : scratch + r * Panels * ColumnBlock;
                    }
                    if (tilePanels == Panels)
                        _tile6x4(rowsA, bPanel, k4, rowsC, panelBytes);
                    else
                        for (int p = 0; p < tilePanels; p++)
                            _tile6x1(rowsA, bPanel + p * panelBytes, k4, rowsC, p * ColumnBlock * sizeof(int));
                }
            }
        }
    }
}
