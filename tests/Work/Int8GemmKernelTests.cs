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
    public void Section5_KernelRejectsShapesItCannotBlock(string name)
    {
        var kernel = Int8GemmKernel.FromName(name)!;
        Assert.Throws<ArgumentException>(() => kernel.Pack(new sbyte[64], 15, 1, 4, 15, new byte[1024]));
        Assert.Throws<ArgumentException>(() => kernel.Pack(new sbyte[64], 16, 1, 3, 16, new byte[1024]));
    }
}
