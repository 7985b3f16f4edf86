using System.Globalization;
using P2P.Inference.Kernels;

namespace P2P.Inference.Tests.Kernels;

public unsafe class HalfAttentionTests
{
    /// <summary>
    /// Scores and the weighted value sum over binary16 keys and values equal the double-precision sums of the same
    /// (widened) halves to float rounding, for head sizes that take every register path and its tail.
    /// </summary>
    [Fact]
    public void ScoresAndValueSums_MatchDoublePrecision()
    {
        double worst = WorstRelativeError();
        Assert.True(worst <= 1e-5, $"relative error {worst}");
    }

    /// <summary>The AVX2 path (AVX-512 off) and the scalar one (no intrinsics) meet the same bound.</summary>
    [Theory]
    [InlineData("DOTNET_EnableAVX512F")]
    [InlineData("DOTNET_EnableHWIntrinsic")]
    public void ChildProcessOnAnotherInstructionPath_MatchesDoublePrecision(string switchedOff)
    {
        var child = Support.ProbeProcess.Run(Support.ProbeProcess.Without(switchedOff), "halfattention").Split(' ');
        Assert.Equal(switchedOff == "DOTNET_EnableAVX512F" ? "avx2" : "scalar", child[0]);
        double worst = double.Parse(child[1], CultureInfo.InvariantCulture);
        Assert.True(worst <= 1e-5, $"relative error {worst}");
    }

    /// <summary>
    /// The largest error over all cases, each relative to the sum of the terms' magnitudes (so cancellation does not
    /// inflate it).
    /// </summary>
    public static double WorstRelativeError()
    {
        double worst = 0;
        var random = new Random(17);
        foreach (int count in new[] { 8, 16, 20, 24, 48, 64, 72, 128 })
        {
            foreach (int length in new[] { 1, 3, 4, 5, 17, 300 })
            {
                var q = new float[count];
                for (int i = 0; i < count; i++) q[i] = (float)(random.NextDouble() * 4 - 2);
                var keys = new ushort[length * count];
                var values = new ushort[length * count];
                for (int i = 0; i < keys.Length; i++)
                {
                    keys[i] = HalfPrecision.FromSingle((float)((random.NextDouble() * 2 - 1) * Math.Pow(2, random.Next(-16, 8))));
                    values[i] = HalfPrecision.FromSingle((float)((random.NextDouble() * 2 - 1) * Math.Pow(2, random.Next(-16, 8))));
                }
                var weights = new float[length];
                for (int t = 0; t < length; t++) weights[t] = (float)random.NextDouble();
                var scores = new float[length];
                var output = new float[count];
                const float scale = 0.125f;
                fixed (float* qp = q, sp = scores, wp = weights, op = output)
                fixed (ushort* kp = keys, vp = values)
                {
                    HalfAttention.Scores(qp, kp, length, count, scale, sp);
                    HalfAttention.WeightedSum(wp, length, vp, count, op);
                }
                for (int t = 0; t < length; t++)
                {
                    int row = t;
                    double error = RelativeError(scores[t] / scale, count, i => (double)q[i] * Widen(keys[row * count + i]));
                    worst = Math.Max(worst, error);
                }
                for (int i = 0; i < count; i++)
                {
                    int column = i;
                    double error = RelativeError(output[i], length, t => (double)weights[t] * Widen(values[t * count + column]));
                    worst = Math.Max(worst, error);
                }
            }
        }
        return worst;
    }

    private static float Widen(ushort half) => (float)BitConverter.UInt16BitsToHalf(half);

    /// <summary>|actual − Σ terms| relative to Σ |terms|, all in double precision.</summary>
    private static double RelativeError(double actual, int count, Func<int, double> term)
    {
        double sum = 0, magnitude = 0;
        for (int i = 0; i < count; i++)
        {
            sum += term(i);
            magnitude += Math.Abs(term(i));
        }
        return Math.Abs(actual - sum) / Math.Max(magnitude, 1e-30);
    }
}
