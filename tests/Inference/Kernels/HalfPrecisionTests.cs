using P2P.Inference.Kernels;

namespace P2P.Inference.Tests.Kernels;

public unsafe class HalfPrecisionTests
{
    /// <summary>
    /// Every finite half (all 63 488 bit patterns) reads back as exactly the value .NET's Half gives, through the
    /// attention kernels' in-register widening (a sum from +0, so −0 reads as the equal +0).
    /// </summary>
    [Fact]
    public void EveryFiniteHalf_ReadsBackExactly()
    {
        var halves = FiniteHalves();
        var floats = Read(halves);
        for (int i = 0; i < halves.Length; i++)
            Assert.True(floats[i] == (float)BitConverter.UInt16BitsToHalf(halves[i]), $"half 0x{halves[i]:X4} read as {floats[i]}");
    }

    /// <summary>
    /// Writing rounds like (Half)x — to nearest, ties to even, denormals included — and saturates what would round to
    /// infinity at ±65504; NaN stays NaN. The vector path and the scalar one agree on every case.
    /// </summary>
    [Fact]
    public void Writing_RoundsToNearestEven_AndSaturates()
    {
        var floats = WriteCases();
        var vector = new ushort[floats.Length];
        fixed (float* f = floats)
        fixed (ushort* h = vector)
            HalfPrecision.FromSingle(f, h, floats.Length);
        for (int i = 0; i < floats.Length; i++)
        {
            float x = floats[i];
            ushort expected = float.IsNaN(x) ? (ushort)0
                : Math.Abs(x) >= 65520f ? (ushort)(x < 0 ? 0xFBFF : 0x7BFF)
                : BitConverter.HalfToUInt16Bits((Half)x);
            if (float.IsNaN(x))
            {
                Assert.True(Half.IsNaN(BitConverter.UInt16BitsToHalf(vector[i])), $"NaN written as 0x{vector[i]:X4}");
                continue;
            }
            Assert.True(expected == vector[i], $"{x} (0x{BitConverter.SingleToUInt32Bits(x):X8}) written as 0x{vector[i]:X4}, expected 0x{expected:X4}");
            Assert.Equal(expected, HalfPrecision.FromSingle(x));
        }
    }

    /// <summary>With AVX-512 off (the AVX2 path) and with no intrinsics (scalar code) the conversions give the same bits.</summary>
    [Theory]
    [InlineData("DOTNET_EnableAVX512F")]
    [InlineData("DOTNET_EnableHWIntrinsic")]
    public void ChildProcessOnAnotherInstructionPath_ConvertsTheSame(string switchedOff)
    {
        var child = Support.ProbeProcess.Run(Support.ProbeProcess.Without(switchedOff), "half").Split(' ');
        Assert.Equal(switchedOff == "DOTNET_EnableAVX512F" ? "avx2" : "scalar", child[0]);
        Assert.Equal(Digest(), child[1]);
    }

    /// <summary>Both conversions over all the cases, hashed.</summary>
    public static string Digest()
    {
        var read = Read(FiniteHalves());
        var floats = WriteCases();
        var written = new ushort[floats.Length];
        fixed (ushort* w = written)
        fixed (float* f = floats)
            HalfPrecision.FromSingle(f, w, floats.Length);
        var bytes = new List<byte>();
        foreach (float x in read) bytes.AddRange(BitConverter.GetBytes(x));
        foreach (ushort x in written) bytes.AddRange(BitConverter.GetBytes(x));
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes.ToArray()));
    }

    /// <summary>
    /// The halves as the attention kernels widen them: one position of the value sum with weight 1, whose product
    /// with the 2¹¹² rebias is exact, over a row as long as all the halves (every column block and tail path).
    /// </summary>
    private static float[] Read(ushort[] halves)
    {
        var floats = new float[halves.Length];
        float one = 1f;
        fixed (ushort* h = halves)
        fixed (float* f = floats)
            HalfAttention.WeightedSum(&one, 1, h, halves.Length, f);
        return floats;
    }

    private static ushort[] FiniteHalves() =>
        [.. Enumerable.Range(0, 65536).Select(i => (ushort)i).Where(h => (h & 0x7C00) != 0x7C00)];

    /// <summary>
    /// Every float whose low 13 bits (those rounding drops) are one of the rounding cases — exact, just below, at and
    /// just above the tie, the largest — across every exponent from the smallest denormal half down to zero up to
    /// infinity, both signs, plus NaN and infinities.
    /// </summary>
    private static float[] WriteCases()
    {
        uint[] low = [0, 1, 0x0FFF, 0x1000, 0x1001, 0x1FFF, 0x0800, 0x17FF];
        var cases = new List<float> { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 65504f, 65519.99f, 65520f, -65520f, 0f, -0f };
        for (uint high = 0; high < 1u << 19; high += 1)
        {
            uint exponent = (high >> 10) & 0xFF;
            if (exponent is < 100 or > 143 && (high & 0x3FF) != 0) continue; // far outside the half range: one mantissa per exponent
            foreach (uint l in low)
            {
                uint bits = (high << 13) | l;
                cases.Add(BitConverter.UInt32BitsToSingle(bits));
            }
        }
        return [.. cases];
    }
}
