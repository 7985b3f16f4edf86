using System.Security.Cryptography;
using P2P.Inference.Numerics;

namespace P2P.Inference.Tests.Kernels;

public class DeterministicMathTests
{
    [Fact]
    public void Functions_AreAccurateToAFewDoubleUlps_AgainstThePlatform()
    {
        for (double x = -700; x < 700; x += 0.37)
            Assert.True(Math.Abs(DeterministicMath.Exp(x) / Math.Exp(x) - 1) < 1e-14, $"exp({x})");
        for (double x = 1e-300; x < 1e300; x *= 3.7)
            Assert.True(Math.Abs(DeterministicMath.Log(x) - Math.Log(x)) <= 1e-14 * Math.Max(1, Math.Abs(Math.Log(x))), $"log({x})");
        for (double x = -5000; x < 5000; x += 0.731)
        {
            Assert.True(Math.Abs(DeterministicMath.Sin(x) - Math.Sin(x)) < 1e-13, $"sin({x})");
            Assert.True(Math.Abs(DeterministicMath.Cos(x) - Math.Cos(x)) < 1e-13, $"cos({x})");
        }
        Assert.True(Math.Abs(DeterministicMath.Pow(10000, -0.5) - 0.01) < 1e-17);
        Assert.Equal(double.PositiveInfinity, DeterministicMath.Exp(1000.0));
        Assert.Equal(0.0, DeterministicMath.Exp(-1000.0));
        Assert.Equal(1.0, DeterministicMath.Exp(0.0));
        Assert.True(double.IsNaN(DeterministicMath.Log(-1)));
    }

    [Support.VectorMathFact]
    public void Vector_exp_gives_the_scalar_bits_in_every_lane_including_fallback_lanes()
    {
        var random = new Random(3);
        for (int i = 0; i < 20000; i++)
        {
            var x = System.Runtime.Intrinsics.Vector256.Create(
                (random.NextDouble() - 0.5) * 1400, (random.NextDouble() - 0.5) * 40, random.NextDouble() - 0.5, i % 100 == 0 ? double.NaN : -random.NextDouble() * 800);
            var y = DeterministicVectorMath.Exp(x);
            for (int lane = 0; lane < 4; lane++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(DeterministicMath.Exp(x[lane])), BitConverter.DoubleToInt64Bits(y[lane]));
        }
    }

    [Support.VectorMathFact]
    public void Eight_lane_exp_gives_the_scalar_bits_in_every_lane_including_fallback_lanes()
    {
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported) return; // the four-lane test above covers this machine
        var random = new Random(4);
        var lanes = new double[8];
        for (int i = 0; i < 20000; i++)
        {
            for (int lane = 0; lane < 8; lane++)
                lanes[lane] = (lane + i) % 97 == 0 ? double.NaN : (random.NextDouble() - 0.5) * (lane < 2 ? 1500 : lane < 5 ? 40 : 1);
            var y = DeterministicVectorMath.Exp(System.Runtime.Intrinsics.Vector512.Create(lanes));
            for (int lane = 0; lane < 8; lane++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(DeterministicMath.Exp(lanes[lane])), BitConverter.DoubleToInt64Bits(y[lane]));
        }
    }

    /// <summary>
    /// The vector softmax against the contract written out per element, for every length up to 300 (all tails and
    /// both vector widths), with rows holding −∞, ±0, huge gaps (fallback exp lanes) and NaN.
    /// </summary>
    [Fact]
    public unsafe void Softmax_GivesTheBitsOfTheScalarContract_ForEveryLengthAndSpecialValues()
    {
        var random = new Random(5);
        for (int count = 1; count <= 300; count++)
        {
            for (int variant = 0; variant < 4; variant++)
            {
                var input = Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() - 0.5) * 30)).ToArray();
                if (variant == 1) input[random.Next(count)] = float.NegativeInfinity;
                if (variant == 2)
                {
                    input[random.Next(count)] = -0f;
                    input[random.Next(count)] = 900f;
                }
                if (variant == 3 && count > 5) input[count / 2] = float.NaN;
                var expected = (float[])input.Clone();
                var actual = (float[])input.Clone();
                fixed (float* e = expected, a = actual)
                {
                    DeterministicSoftmax.ApplyScalar(e, count);
                    DeterministicSoftmax.Apply(a, count);
                }
                Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
            }
        }
    }

    /// <summary>Golden hash of the functions over a fixed grid: any machine or runtime must reproduce these bits.</summary>
    [Fact]
    public void FunctionBitsOverAFixedGrid_MatchTheGoldenHash_WithAndWithoutIntrinsics()
    {
        Assert.Equal(GoldenGridHash, GridHash());
        var child = Support.ProbeProcess.Run(new Dictionary<string, string> { ["DOTNET_EnableHWIntrinsic"] = "0" }, "math");
        Assert.Equal(GoldenGridHash, child);
    }

    public static string GridHash()
    {
        var values = new List<double>();
        for (int i = -4000; i <= 4000; i++)
        {
            double x = i * 0.0173;
            values.Add(DeterministicMath.Exp(x));
            values.Add(DeterministicMath.Sin(x * 7.3));
            values.Add(DeterministicMath.Cos(x * 7.3));
            values.Add(DeterministicMath.Log(Math.Abs(x) + 1e-3));
        }
        var bytes = values.SelectMany(BitConverter.GetBytes).ToArray();
        return Convert.ToHexString(SHA256.HashData(bytes));
    }

    public const string GoldenGridHash = "310A1EBE54849E8184F002932B54B832CB242E3784BF522ADE3F88FC54B53243";
}
