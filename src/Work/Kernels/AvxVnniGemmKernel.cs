using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace P2P.Work.Kernels;

/// <summary>
/// AVX-VNNI kernel: vpdpbusd multiplies 4 unsigned bytes of A by 4 signed bytes of B and adds into an int32 lane.
/// B in <see cref="ByteQuadLayout"/>.
/// Register tile: 6 rows × 16 columns = 12 accumulators (fits the 16 VEX registers).
/// </summary>
internal sealed unsafe class AvxVnniGemmKernel : Int8GemmKernel
{
    private const int Rows = 6;

    public override string Name => "avx-vnni";

    public override int PackedLength(int k, int n) => k * n;

    public override void Pack(ReadOnlySpan<sbyte> source, int rowStride, int columnStride, int k, int n, Span<byte> destination)
    {
        CheckShape(k, n);
        ByteQuadLayout.Pack(source, rowStride, columnStride, k, n, destination);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Multiply(ReadOnlySpan<byte> a, int lda, int m, int k, ReadOnlySpan<byte> packedB, int n, Span<int> c, int ldc)
    {
        CheckShape(k, n);
        if (a.Length < (m - 1) * lda + k || c.Length < (m - 1) * ldc + n || packedB.Length < k * n)
            throw new ArgumentException("GEMM operand too short");
        // The last partial tile also runs the 6-row kernel: its missing rows re-read row 0 and write to a scratch tile.
        Span<int> discard = stackalloc int[Rows * ColumnBlock];
        fixed (byte* pa = a)
        fixed (byte* pb = packedB)
        fixed (int* pc = c)
        fixed (int* scratch = discard)
        {
            byte** rowsA = stackalloc byte*[Rows];
            int** rowsC = stackalloc int*[Rows];
            for (int panel = 0; panel < n; panel += ColumnBlock)
            {
                byte* bPanel = pb + (long)panel * k;
                for (int row = 0; row < m; row += Rows)
                {
                    for (int r = 0; r < Rows; r++)
                    {
                        bool real = row + r < m;
                        rowsA[r] = pa + (long)(real ? row + r : 0) * lda;
                        rowsC[r] = real ? pc + (long)(row + r) * ldc + panel : scratch + r * ColumnBlock;
                    }
                    Tile6(rowsA, bPanel, k / 4, rowsC);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6(byte** rowsA, byte* b, int k4, int** rowsC)
    {
        Vector256<int> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<int> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        byte* a0 = rowsA[0], a1 = rowsA[1], a2 = rowsA[2], a3 = rowsA[3], a4 = rowsA[4], a5 = rowsA[5];
        byte* end = b + (nint)k4 * 64;
        for (nint o = 0; b < end; o += 4, b += 64)
        {
            var b0 = Avx.LoadVector256((sbyte*)b);
            var b1 = Avx.LoadVector256((sbyte*)b + 32);
            var x = Vector256.Create(*(int*)(a0 + o)).AsByte();
            c00 = AvxVnni.MultiplyWideningAndAdd(c00, x, b0);
            c01 = AvxVnni.MultiplyWideningAndAdd(c01, x, b1);
            x = Vector256.Create(*(int*)(a1 + o)).AsByte();
            c10 = AvxVnni.MultiplyWideningAndAdd(c10, x, b0);
            c11 = AvxVnni.MultiplyWideningAndAdd(c11, x, b1);
            x = Vector256.Create(*(int*)(a2 + o)).AsByte();
            c20 = AvxVnni.MultiplyWideningAndAdd(c20, x, b0);
            c21 = AvxVnni.MultiplyWideningAndAdd(c21, x, b1);
            x = Vector256.Create(*(int*)(a3 + o)).AsByte();
            c30 = AvxVnni.MultiplyWideningAndAdd(c30, x, b0);
            c31 = AvxVnni.MultiplyWideningAndAdd(c31, x, b1);
            x = Vector256.Create(*(int*)(a4 + o)).AsByte();
            c40 = AvxVnni.MultiplyWideningAndAdd(c40, x, b0);
            c41 = AvxVnni.MultiplyWideningAndAdd(c41, x, b1);
            x = Vector256.Create(*(int*)(a5 + o)).AsByte();
            c50 = AvxVnni.MultiplyWideningAndAdd(c50, x, b0);
            c51 = AvxVnni.MultiplyWideningAndAdd(c51, x, b1);
        }
        Store(rowsC[0], c00, c01); Store(rowsC[1], c10, c11); Store(rowsC[2], c20, c21);
        Store(rowsC[3], c30, c31); Store(rowsC[4], c40, c41); Store(rowsC[5], c50, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(int* c, Vector256<int> low, Vector256<int> high)
    {
        Avx.Store(c, low);
        Avx.Store(c + 8, high);
    }
}
