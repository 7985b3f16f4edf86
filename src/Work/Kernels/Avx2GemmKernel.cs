using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace P2P.Work.Kernels;

/// <summary>
/// AVX2 kernel for CPUs without VNNI: operands widened to int16, vpmaddwd multiplies pairs and sums them into int32
/// (exact, unlike vpmaddubsw which saturates), in <see cref="Int16PairLayout"/>. A rows are widened to int16 into a
/// per-thread buffer first.
/// </summary>
internal sealed unsafe class Avx2GemmKernel : Int8GemmKernel
{
    private const int Rows = 6;

    [ThreadStatic] private static short[]? _wideA;

    public override string Name => "avx2";

    public override int PackedLength(int k, int n) => Int16PairLayout.PackedLength(k, n);

    public override void Pack(ReadOnlySpan<sbyte> source, int rowStride, int columnStride, int k, int n, Span<byte> destination)
    {
        CheckShape(k, n);
        Int16PairLayout.Pack(source, rowStride, columnStride, k, n, destination);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Multiply(ReadOnlySpan<byte> a, int lda, int m, int k, ReadOnlySpan<byte> packedB, int n, Span<int> c, int ldc)
    {
        CheckShape(k, n);
        if (a.Length < (m - 1) * lda + k || c.Length < (m - 1) * ldc + n || packedB.Length < 2 * k * n)
            throw new ArgumentException("GEMM operand too short");
        int needed = m * k;
        if (_wideA is null || _wideA.Length < needed) _wideA = new short[needed];
        var wide = _wideA;
        Int16PairLayout.Widen(a, lda, m, k, wide);
        fixed (short* pa = wide)
        fixed (byte* pb = packedB)
        fixed (int* pc = c)
        {
            for (int panel = 0; panel < n; panel += ColumnBlock)
            {
                short* bPanel = (short*)(pb + 2L * panel * k);
                int row = 0;
                for (; row + Rows <= m; row += Rows)
                    Tile6(pa + (long)row * k, k, bPanel, k / 2, pc + (long)row * ldc + panel, ldc);
                for (; row < m; row++)
                    Tile1(pa + (long)row * k, bPanel, k / 2, pc + (long)row * ldc + panel);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6(short* a, int lda, short* b, int k2, int* c, int ldc)
    {
        Vector256<int> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<int> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        short* a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda, a4 = a + 4 * lda, a5 = a + 5 * lda;
        for (int i = 0; i < k2; i++)
        {
            var b0 = Avx.LoadVector256(b);
            var b1 = Avx.LoadVector256(b + 16);
            b += 32;
            int o = i * 2;
            var x = Vector256.Create(*(int*)(a0 + o)).AsInt16();
            c00 = Avx2.Add(c00, Avx2.MultiplyAddAdjacent(x, b0));
            c01 = Avx2.Add(c01, Avx2.MultiplyAddAdjacent(x, b1));
            x = Vector256.Create(*(int*)(a1 + o)).AsInt16();
            c10 = Avx2.Add(c10, Avx2.MultiplyAddAdjacent(x, b0));
            c11 = Avx2.Add(c11, Avx2.MultiplyAddAdjacent(x, b1));
            x = Vector256.Create(*(int*)(a2 + o)).AsInt16();
            c20 = Avx2.Add(c20, Avx2.MultiplyAddAdjacent(x, b0));
            c21 = Avx2.Add(c21, Avx2.MultiplyAddAdjacent(x, b1));
            x = Vector256.Create(*(int*)(a3 + o)).AsInt16();
            c30 = Avx2.Add(c30, Avx2.MultiplyAddAdjacent(x, b0));
            c31 = Avx2.Add(c31, Avx2.MultiplyAddAdjacent(x, b1));
            x = Vector256.Create(*(int*)(a4 + o)).AsInt16();
            c40 = Avx2.Add(c40, Avx2.MultiplyAddAdjacent(x, b0));
            c41 = Avx2.Add(c41, Avx2.MultiplyAddAdjacent(x, b1));
            x = Vector256.Create(*(int*)(a5 + o)).AsInt16();
            c50 = Avx2.Add(c50, Avx2.MultiplyAddAdjacent(x, b0));
            c51 = Avx2.Add(c51, Avx2.MultiplyAddAdjacent(x, b1));
        }
        Store(c, c00, c01); Store(c + ldc, c10, c11); Store(c + 2 * ldc, c20, c21);
        Store(c + 3 * ldc, c30, c31); Store(c + 4 * ldc, c40, c41); Store(c + 5 * ldc, c50, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1(short* a, short* b, int k2, int* c)
    {
        Vector256<int> c0 = default, c1 = default;
        for (int i = 0; i < k2; i++)
        {
            var x = Vector256.Create(*(int*)(a + i * 2)).AsInt16();
            c0 = Avx2.Add(c0, Avx2.MultiplyAddAdjacent(x, Avx.LoadVector256(b)));
            c1 = Avx2.Add(c1, Avx2.MultiplyAddAdjacent(x, Avx.LoadVector256(b + 16)));
            b += 32;
        }
        Store(c, c0, c1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(int* c, Vector256<int> low, Vector256<int> high)
    {
        Avx.Store(c, low);
        Avx.Store(c + 8, high);
    }
}
