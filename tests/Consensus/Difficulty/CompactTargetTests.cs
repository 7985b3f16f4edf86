using System.Numerics;
using P2P.Consensus.Difficulty;

namespace P2P.Consensus.Tests.Difficulty;

/// <summary>Compact nBits edge cases, as Bitcoin's SetCompact/GetCompact define them.</summary>
public sealed class CompactTargetTests
{
    [Theory]
    [InlineData(0x1d00ffffu, 0xffffL, 26)]
    [InlineData(0x1a2b3c4du, 0x2b3c4dL, 23)]
    [InlineData(0x01010000u, 0x01L, 0)]
    [InlineData(0x02008000u, 0x80L, 0)]
    [InlineData(0x03123456u, 0x123456L, 0)]
    [InlineData(0x04123456u, 0x123456L, 1)]
    [InlineData(0x01120000u, 0x12L, 0)]
    [InlineData(0x05009234u, 0x9234L, 2)]
    [InlineData(0x2000ffffu, 0xffffL, 29)]
    [InlineData(0x207fffffu, 0x7fffffL, 29)]
    public void CompactTarget_DecodesKnownValues(uint bits, long value, int shiftBytes)
    {
        Assert.Equal(new BigInteger(value) << (8 * shiftBytes), CompactTarget.Decode(bits));
    }

    [Theory]
    [InlineData(0x00000000u)] // zero
    [InlineData(0x00123456u)] // size 0 shifts the mantissa out: zero
    [InlineData(0x01003456u)] // size 1 keeps only the top byte (0x00): zero
    [InlineData(0x02000056u)]
    [InlineData(0x03000000u)]
    [InlineData(0x04000000u)] // zero mantissa
    [InlineData(0x01fedcbau)] // sign bit set: negative
    [InlineData(0x04923456u)] // negative
    [InlineData(0x23000001u)] // size 35: overflow
    [InlineData(0x22000100u)] // size 34 with a mantissa over 0xff: overflow
    [InlineData(0x21010000u)] // size 33 with a mantissa over 0xffff: overflow
    [InlineData(0x217fffffu)] // size 33 with a 23-bit mantissa: overflow
    [InlineData(0xff123456u)]
    public void CompactTarget_RejectsZeroNegativeAndOverflowingBits(uint bits)
    {
        Assert.False(CompactTarget.TryDecode(bits, out var target));
        Assert.Equal(BigInteger.Zero, target);
        Assert.Throws<FormatException>(() => CompactTarget.Decode(bits));
    }

    [Theory]
    [InlineData(0x220000ffu)] // size 34 with mantissa ≤ 0xff: 0xff · 2^248, the largest such value below 2^256
    [InlineData(0x2100ffffu)] // size 33 with mantissa ≤ 0xffff
    public void CompactTarget_AcceptsTheLargestSizesThatFit256Bits(uint bits)
    {
        Assert.True(CompactTarget.TryDecode(bits, out var target));
        Assert.True(target < CompactTarget.TwoTo256);
    }

    [Theory]
    [InlineData("1", 0x01010000u)]
    [InlineData("80", 0x02008000u)]      // top bit of the mantissa would read as a sign: one more byte
    [InlineData("7f", 0x017f0000u)]
    [InlineData("123456", 0x03123456u)]
    [InlineData("12345678", 0x04123456u)] // low bits truncated
    [InlineData("ffff0000000000000000000000000000000000000000000000000000", 0x1d00ffffu)]
    [InlineData("2b3c4d0000000000000000000000000000000000000000000000", 0x1a2b3c4du)]
    [InlineData("217fffff", 0x04217fffu)]
    public void CompactTarget_EncodesKnownValues(string hex, uint bits)
    {
        Assert.Equal(bits, CompactTarget.Encode(BigInteger.Parse("0" + hex, System.Globalization.NumberStyles.HexNumber)));
    }

    [Fact]
    public void CompactTarget_EncodesTheLargest256BitTarget()
    {
        BigInteger max = CompactTarget.TwoTo256 - 1;
        uint bits = CompactTarget.Encode(max);
        Assert.Equal(0x2100ffffu, bits);
        Assert.True(CompactTarget.Decode(bits) <= max);
    }

    [Fact]
    public void CompactTarget_RejectsTargetsOutside1To2Pow256()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CompactTarget.Encode(BigInteger.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => CompactTarget.Encode(BigInteger.MinusOne));
        Assert.Throws<ArgumentOutOfRangeException>(() => CompactTarget.Encode(CompactTarget.TwoTo256));
    }

    [Fact]
    public void CompactTarget_RoundTripsCanonicalValues_AndDecodingAnEncodingNeverExceedsTheValue()
    {
        var random = new Random(12);
        for (int i = 0; i < 5000; i++)
        {
            var bytes = new byte[random.Next(1, 33)];
            random.NextBytes(bytes);
            var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
            if (value.IsZero) continue;
            uint bits = CompactTarget.Encode(value);
            BigInteger decoded = CompactTarget.Decode(bits);
            Assert.True(decoded <= value);
            Assert.True(value - decoded < (decoded >> 15) + 1, "truncation keeps at least 15 significant bits");
            Assert.Equal(bits, CompactTarget.Encode(decoded));
        }
    }

    [Fact]
    public void Work_IsTwoPow256OverTargetPlusOne()
    {
        Assert.Equal(new BigInteger(2), CompactTarget.Work(CompactTarget.TwoTo256 / 2 - 1));
        Assert.Equal(CompactTarget.TwoTo256 / 2, CompactTarget.Work(BigInteger.One));
        Assert.Equal(CompactTarget.TwoTo256, CompactTarget.Work(BigInteger.Zero));
        Assert.Equal(BigInteger.One, CompactTarget.Work(CompactTarget.TwoTo256 - 1));
    }
}
