using System.Runtime.InteropServices;

namespace P2P.Work.Kernels;

/// <summary>Portable kernel: B kept as plain [K][N] int8, one multiply-add at a time.</summary>
internal sealed class ScalarGemmKernel : Int8GemmKernel
{
    public override string Name => "scalar";

    public override int PackedLength(int k, int n) => k * n;

    public override void Pack(ReadOnlySpan<sbyte> source, int rowStride, int columnStride, int k, int n, Span<byte> destination)
    {
        CheckShape(k, n);
        var dst = MemoryMarshal.Cast<byte, sbyte>(destination);
        for (int kk = 0; kk < k; kk++)
            for (int nn = 0; nn < n; nn++)
                dst[kk * n + nn] = source[kk * rowStride + nn * columnStride];
    }

    public override void Multiply(ReadOnlySpan<byte> a, int lda, int m, int k, ReadOnlySpan<byte> packedB, int n, Span<int> c, int ldc)
    {
        CheckShape(k, n);
        var b = MemoryMarshal.Cast<byte, sbyte>(packedB);
        for (int row = 0; row < m; row++)
        {
            var crow = c.Slice(row * ldc, n);
            crow.Clear();
            var arow = a.Slice(row * lda, k);
            for (int kk = 0; kk < k; kk++)
            {
                int av = arow[kk];
                if (av == 0) continue;
                var brow = b.Slice(kk * n, n);
                for (int nn = 0; nn < n; nn++)
                    crow[nn] += av * brow[nn];
            }
        }
    }
}
