using System.Runtime.Intrinsics.X86;
using P2P.Work.Tests.Support;

namespace P2P.Work.Tests;

/// <summary>
/// docs/work-function.md §2.3, §2.5, §5: the AVX-512 epilogues (int32 after a clamp) and the register-table softmax give
/// the scalar definition's bits, at saturation and at the extremes of every operand too.
/// </summary>
public class Avx512EpiloguesTests
{
    private static readonly int[] Accumulators =
        [0, 1, -1, 2, -2, 127, -127, 65_535, -65_535, 1 << 24, -(1 << 24), int.MaxValue / 2, int.MinValue / 2, 33_554_431, -33_554_431];

    [Avx512Fact]
    public void Section2_3_RequantizeMatchesTheScalarDefinition_IncludingSaturation()
    {
        var random = new Random(3);
        foreach (int multiplier in new[] { 1, 313, 446, 631, 920, 1784, 2400, 4095 })
        {
            Assert.True(Avx512Epilogues.Fits(multiplier, 20));
            // Every threshold region: values around the saturation limits and the rounding boundaries, and random ones.
            int limit = (int)((127L << 20) / multiplier);
            var acc = new int[400];
            var correction = new int[acc.Length];
            for (int i = 0; i < acc.Length; i++)
            {
                acc[i] = i < Accumulators.Length ? Accumulators[i] : i < 200 ? limit + random.Next(-3000, 3000) * (random.Next(2) * 2 - 1) : random.Next(-(1 << 26), 1 << 26);
                correction[i] = random.Next(-(1 << 22), 1 << 22);
            }
            var residual = new int[acc.Length];
            for (int i = 0; i < residual.Length; i++) residual[i] = random.Next(-32767, 32768);
            var bytes = new byte[acc.Length];
            foreach (bool relu in new[] { false, true })
                foreach (int bias in new[] { 0, 128 })
                {
                    Avx512Epilogues.RequantizeToBytes(acc, correction, bytes, multiplier, 20, bias, relu);
                    for (int i = 0; i < acc.Length; i++)
                    {
                        int y = IntegerOps.Requantize(acc[i] - (long)correction[i], multiplier, 20);
                        Assert.Equal((byte)((relu ? Math.Max(0, y) : y) + bias), bytes[i]);
                    }
                }
            var updated = (int[])residual.Clone();
            long squares = Avx512Epilogues.AddToResidual(acc, correction, updated, multiplier, 20);
            long expectedSquares = 0;
            for (int i = 0; i < acc.Length; i++)
            {
                int h = IntegerOps.Sat16(residual[i] + IntegerOps.Requantize(acc[i] - (long)correction[i], multiplier, 20));
                Assert.Equal(h, updated[i]);
                expectedSquares += (long)h * h;
            }
            Assert.Equal(expectedSquares, squares);
        }
    }

    [Avx512Fact]
    public void Section2_3_NormalizeMatchesTheScalarDefinition_ForEveryRowMultiplier()
    {
        var random = new Random(4);
        var x = new int[272];
        var y = new byte[x.Length];
        foreach (long multiplier in new long[] { 1, 64, 65, 1000, 1 << 15, 1 << 16, (1 << 21) - 1, 1 << 21, 1 << 23 })
        {
            Assert.True(Avx512Epilogues.Fits(multiplier, 16));
            for (int i = 0; i < x.Length; i++) x[i] = i < 8 ? (i % 2 == 0 ? 32767 : -32767) : random.Next(-32767, 32768) >> random.Next(16);
            Assert.Equal(x.Sum(v => (long)v * v), Avx512Epilogues.SumOfSquares(x));
            foreach (int bias in new[] { 0, 128 })
            {
                Avx512Epilogues.Normalize(x, y, multiplier, bias);
                for (int i = 0; i < x.Length; i++)
                    Assert.Equal((byte)(IntegerOps.Normalize(x[i], multiplier) + bias), y[i]);
            }
        }
        Assert.False(Avx512Epilogues.Fits(0, 16));
        Assert.False(Avx512Epilogues.Fits(1L << 31, 16));
    }

    [Avx512Fact]
    public void Section2_5_SoftmaxMatchesTheDefinition_ForEveryRowLength()
    {
        var random = new Random(5);
        const int t = 64;
        foreach (int shift in new[] { 0, 6, 7, 12 })
            for (int count = 1; count <= t; count++)
            {
                var raw = new int[t];
                var correction = new int[t];
                for (int j = 0; j < t; j++)
                {
                    raw[j] = random.Next(-(1 << 21), 1 << 21);
                    correction[j] = 128 * random.Next(-64 * 127, 64 * 127);
                }
                if (count > 2) raw[1] = raw[0] + correction[1] - correction[0]; // a tie for the maximum
                var scores = (int[])raw.Clone();
                var p = new byte[t];
                p.AsSpan().Fill(0xAA);
                Avx512Softmax.Run(scores, correction, count, shift, p);
                Assert.Equal(Expected(raw, correction, count, shift), p);
            }
    }

    /// <summary>§2.5 transcribed: e = EXP[min((m − s) >> A, 255)], R = 255·2^24 / Σe, p = e·R >> 24, zeros from count on.</summary>
    private static byte[] Expected(int[] raw, int[] correction, int count, int shift)
    {
        var s = new long[count];
        for (int j = 0; j < count; j++) s[j] = raw[j] - (long)correction[j];
        long m = s.Max(), total = 0;
        var e = new long[count];
        for (int j = 0; j < count; j++) total += e[j] = ExpTable.Values[(int)Math.Min((m - s[j]) >> shift, 255)];
        long r = (255L << 24) / total;
        var p = new byte[raw.Length];
        for (int j = 0; j < count; j++) p[j] = (byte)((e[j] * r) >> 24);
        return p;
    }

    [Fact]
    public void Section5_Avx512PathsAreOfferedExactlyWhereTheCpuHasAvx512BW() =>
        Assert.Equal(Avx512BW.IsSupported, Avx512Epilogues.IsSupported);
}
