using P2P.Work.Kernels;

namespace P2P.Work.Tests;

/// <summary>docs/work-function.md §5: each GEMM kernel is exact against a naive int64 product, at the operand extremes too.</summary>
public class Int8GemmKernelTests
{
    public static TheoryData<string> Kernels()
    {
        var data = new TheoryData<string>();
        foreach (var kernel in Int8GemmKernel.Supported) data.Add(kernel.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Section5_KernelIsExact_ForRandomAndExtremeOperands(string name)
    {
        var kernel = Int8GemmKernel.FromName(name)!;
        var random = new Random(42);
        foreach (var (m, k, n, extreme) in new[] { (1, 4, 16, false), (7, 64, 32, false), (13, 1024, 48, true), (6, 4096, 16, true), (11, 132, 112, false), (5, 512, 64, true) })
        {
            var a = new byte[m * k];
            var b = new sbyte[k * n];
            if (extreme)
            {
                a.AsSpan().Fill(255);
                b.AsSpan().Fill(-128);
                a[0] = 0;
                b[^1] = 127;
            }
            else
            {
                random.NextBytes(a);
                foreach (ref sbyte x in b.AsSpan()) x = (sbyte)random.Next(-128, 128);
            }
            var packed = new byte[kernel.PackedLength(k, n)];
            kernel.Pack(b, n, 1, k, n, packed);
            int ldc = n + 5;
            var c = new int[m * ldc];
            kernel.Multiply(a, k, m, k, packed, n, c, ldc);
            for (int row = 0; row < m; row++)
                for (int col = 0; col < n; col++)
                {
                    long expected = 0;
                    for (int kk = 0; kk < k; kk++) expected += a[row * k + kk] * (long)b[kk * n + col];
                    Assert.Equal(expected, c[row * ldc + col]);
                }
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Section2_5_CausalProductsMatchTheFullProductWhereTheyAreDefined(string name)
    {
        var kernel = Int8GemmKernel.FromName(name)!;
        var random = new Random(17);
        foreach (var (m, k, n) in new[] { (64, 64, 64), (16, 16, 16), (37, 40, 48), (70, 128, 80) })
        {
            var a = new byte[m * k];
            random.NextBytes(a);
            var b = new sbyte[k * n];
            foreach (ref sbyte x in b.AsSpan()) x = (sbyte)random.Next(-128, 128);
            var packed = new byte[kernel.PackedLength(k, n)];
            kernel.Pack(b, n, 1, k, n, packed);
            var full = new int[m * n];
            kernel.Multiply(a, k, m, k, packed, n, full, n);

            // Scores: only the lower triangle (j ≤ i) is defined; the poison above it may stay or be overwritten.
            var triangle = new int[m * n];
            triangle.AsSpan().Fill(int.MinValue);
            kernel.MultiplyLowerTriangle(a, k, m, k, packed, n, triangle, n);
            for (int i = 0; i < m; i++)
                for (int j = 0; j <= Math.Min(i, n - 1); j++)
                    Assert.Equal(full[i * n + j], triangle[i * n + j]);

            // Probabilities: A is zero right of the diagonal, and the product is the full one.
            for (int i = 0; i < m; i++)
                for (int kk = i + 1; kk < k; kk++)
                    a[i * k + kk] = 0;
            kernel.Multiply(a, k, m, k, packed, n, full, n);
            var causal = new int[m * n];
            kernel.MultiplyLowerTriangularA(a, k, m, k, packed, n, causal, n);
            Assert.Equal(full, causal);
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Section5_PackingATransposedSourceGivesTheSameLayout(string name)
    {
        var kernel = Int8GemmKernel.FromName(name)!;
        var random = new Random(23);
        foreach (var (k, n, stride) in new[] { (64, 64, 512), (128, 32, 130), (12, 16, 12), (64, 48, 64), (192, 16, 200) })
        {
            // B[kk][nn] stored column by column (B = Kᵀ in attention): element (kk, nn) at nn·stride + kk.
            var transposed = new sbyte[(n - 1) * stride + k];
            foreach (ref sbyte x in transposed.AsSpan()) x = (sbyte)random.Next(-128, 128);
            var rowMajor = new sbyte[k * n];
            for (int kk = 0; kk < k; kk++)
                for (int nn = 0; nn < n; nn++)
                    rowMajor[kk * n + nn] = transposed[nn * stride + kk];
            var expected = new byte[kernel.PackedLength(k, n)];
            kernel.Pack(rowMajor, n, 1, k, n, expected);
            var packed = new byte[expected.Length];
            kernel.Pack(transposed, 1, stride, k, n, packed);
            Assert.Equal(expected, packed);
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Section5_KernelRejectsShapesItCannotBlock(string name)
    {
        var kernel = Int8GemmKernel.FromName(name)!;
        Assert.Throws<ArgumentException>(() => kernel.Pack(new sbyte[64], 15, 1, 4, 15, new byte[1024]));
        Assert.Throws<ArgumentException>(() => kernel.Pack(new sbyte[64], 16, 1, 3, 16, new byte[1024]));
    }
}
