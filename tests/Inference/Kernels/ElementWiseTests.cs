using P2P.Inference.Kernels;

namespace P2P.Inference.Tests.Kernels;

public unsafe class ElementWiseTests
{
    private static float[] RandomValues(int count, int seed, float scale)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(29)]
    [InlineData(288)]
    public void AddAndScaleMultiply_GiveTheBitsOfOneIeeeOperationPerElement(int count)
    {
        var x = RandomValues(count, count, 3);
        var w = RandomValues(count, count + 1, 2);
        var y = RandomValues(count, count + 2, 5);
        var sum = (float[])y.Clone();
        var scaled = new float[count];
        const float scale = 0.3711f;
        fixed (float* xp = x, wp = w, sp = sum, op = scaled)
        {
            ElementWise.Add(sp, xp, count);
            ElementWise.ScaleMultiply(xp, scale, wp, op, count);
        }
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(y[i] + x[i]), BitConverter.SingleToInt32Bits(sum[i]));
            Assert.Equal(BitConverter.SingleToInt32Bits(x[i] * scale * w[i]), BitConverter.SingleToInt32Bits(scaled[i]));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(67)]
    [InlineData(1024)]
    public void SoftmaxFast_MatchesTheTextbookSoftmax_WithMaskedScores(int count)
    {
        var values = RandomValues(count, count, 20);
        if (count > 4) values[3] = float.NegativeInfinity;
        double max = values.Max();
        double total = values.Sum(v => Math.Exp(v - max));
        var result = (float[])values.Clone();
        fixed (float* p = result) ElementWise.SoftmaxFast(p, count);
        for (int i = 0; i < count; i++)
            Assert.Equal(Math.Exp(values[i] - max) / total, result[i], 1e-6);
        Assert.Equal(1.0, result.Sum(v => (double)v), 1e-5);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(16)]
    [InlineData(770)]
    public void SiluMultiplyFast_MatchesTheDefinition(int count)
    {
        var gate = RandomValues(count, count, 12);
        var up = RandomValues(count, count + 1, 2);
        var y = new float[count];
        fixed (float* g = gate, u = up, o = y) ElementWise.SiluMultiplyFast(g, u, o, count);
        for (int i = 0; i < count; i++)
        {
            double expected = gate[i] / (1 + Math.Exp(-gate[i])) * up[i];
            Assert.True(Math.Abs(expected - y[i]) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"element {i}: {y[i]} vs {expected}");
        }
    }
}
