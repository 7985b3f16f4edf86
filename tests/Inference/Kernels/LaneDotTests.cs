using P2P.Inference.Kernels;

namespace P2P.Inference.Tests.Kernels;

public unsafe class LaneDotTests
{
    /// <summary>The documented order, written out plainly: 8 fused lanes, tail into the first lanes, pairwise reduction.</summary>
    private static float Reference(float[] x, int xOffset, float[] w, int wOffset, int k)
    {
        var lanes = new float[8];
        int full = k / 8 * 8;
        for (int i = 0; i < full; i++) lanes[i % 8] = MathF.FusedMultiplyAdd(x[xOffset + i], w[wOffset + i], lanes[i % 8]);
        for (int i = full; i < k; i++) lanes[i - full] = MathF.FusedMultiplyAdd(x[xOffset + i], w[wOffset + i], lanes[i - full]);
        return ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 37, 64)]
    [InlineData(2, 4, 172)]
    [InlineData(3, 8, 8)]
    [InlineData(5, 67, 13)]
    [InlineData(7, 33, 100)]
    [InlineData(50, 70, 96)]
    [InlineData(13, 12, 24)]
    [InlineData(6, 4, 8)]
    [InlineData(8, 36, 77)]
    [InlineData(11, 8, 64)]
    [InlineData(1, 300, 288)]
    [InlineData(1, 29, 13)]
    [InlineData(1, 16, 7)]
    [InlineData(1, 12, 40)]
    [InlineData(1, 20, 600)]
    public void MatrixProduct_MatchesTheDocumentedOrder_ForEveryShapeAndThreadCount(int rows, int outputs, int k)
    {
        var random = new Random(rows * 1000 + outputs * 10 + k);
        var x = Enumerable.Range(0, rows * k).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        using var weight = new WeightMatrix(outputs, k);
        for (int i = 0; i < outputs * k; i++) weight.Data[i] = (float)(random.NextDouble() * 2 - 1);
        var w = weight.AsSpan().ToArray();
        foreach (int threads in new[] { 1, 2, 8 })
        {
            var y = new float[rows * outputs];
            fixed (float* xp = x, yp = y) new CpuBackend(ComputeMode.Deterministic, threads).MatMul(xp, rows, weight, yp);
            for (int r = 0; r < rows; r++)
            {
                for (int o = 0; o < outputs; o++)
                    Assert.Equal(BitConverter.SingleToInt32Bits(Reference(x, r * k, w, o * k, k)), BitConverter.SingleToInt32Bits(y[r * outputs + o]));
            }
        }
    }

    [Fact]
    public void FastModeProduct_AgreesWithTheDeterministicKernel()
    {
        const int rows = 33, outputs = 65, k = 130;
        var random = new Random(4);
        var x = Enumerable.Range(0, rows * k).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        using var weight = new WeightMatrix(outputs, k);
        for (int i = 0; i < outputs * k; i++) weight.Data[i] = (float)(random.NextDouble() * 2 - 1);
        var deterministic = new float[rows * outputs];
        var fast = new float[rows * outputs];
        fixed (float* xp = x, d = deterministic, f = fast)
        {
            new CpuBackend(ComputeMode.Deterministic, 2).MatMul(xp, rows, weight, d);
            new CpuBackend(ComputeMode.Fast, 2).MatMul(xp, rows, weight, f);
        }
        for (int i = 0; i < deterministic.Length; i++) Assert.True(MathF.Abs(deterministic[i] - fast[i]) < 1e-4f);
    }
}
