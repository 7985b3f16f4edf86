using System.Runtime.Intrinsics;
using P2P.Inference.Kernels;

namespace P2P.Inference.Tests.Kernels;

public class VectorExpTests
{
    private static float[] ExpOf(float[] x)
    {
        var y = new float[x.Length];
        for (int i = 0; i < x.Length; i += 8) VectorExp.Exp(Vector256.Create(x, i)).CopyTo(y, i);
        return y;
    }

    private static double UlpsFrom(double exact, float value)
    {
        float rounded = (float)exact;
        double ulp = Math.Abs(MathF.BitIncrement(Math.Abs(rounded)) - Math.Abs(rounded));
        return Math.Abs(value - exact) / ulp;
    }

    [Fact]
    public void EveryFiniteResult_IsWithinTwoUlpOfTheExactValue()
    {
        const int count = 1 << 16;
        var x = new float[count];
        for (int i = 0; i < count; i++) x[i] = -87.3f + 175.6f * i / (count - 1);
        x[0] = -87.3365f;
        x[1] = 88.3762626647949f;
        x[2] = 0f;
        x[3] = -0f;
        x[4] = 1e-30f;
        x[5] = -1e-30f;
        var y = ExpOf(x);
        double worst = 0;
        for (int i = 0; i < count; i++)
        {
            double exact = Math.Exp(x[i]);
            Assert.True(float.IsFinite(y[i]), $"exp({x[i]:R}) = {y[i]}");
            worst = Math.Max(worst, UlpsFrom(exact, y[i]));
        }
        Assert.True(worst <= 2, $"worst error {worst:F2} ulp");
        Assert.Equal(1f, y[2]);
        Assert.Equal(1f, y[3]);
    }

    [Fact]
    public void OutOfRangeAndSpecialInputs_GiveZeroInfinityOrNaN()
    {
        float[] x = [float.NegativeInfinity, -1000f, -87.5f, 88.8f, 1000f, float.PositiveInfinity, float.NaN, -float.NaN];
        var y = ExpOf(x);
        Assert.Equal(0f, y[0]);
        Assert.Equal(0f, y[1]);
        Assert.Equal(0f, y[2]);
        Assert.Equal(float.PositiveInfinity, y[3]);
        Assert.Equal(float.PositiveInfinity, y[4]);
        Assert.Equal(float.PositiveInfinity, y[5]);
        Assert.True(float.IsNaN(y[6]));
        Assert.True(float.IsNaN(y[7]));
    }
}
