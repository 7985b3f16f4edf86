using P2P.Networking.Encoding;

namespace P2P.Networking.Tests.Encoding;

public class VarintTests
{
    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(1UL, "01")]
    [InlineData(127UL, "7f")]
    [InlineData(128UL, "8001")]
    [InlineData(255UL, "ff01")]
    [InlineData(300UL, "ac02")]
    [InlineData(16384UL, "808001")]
    [InlineData((1UL << 63) - 1, "ffffffffffffffff7f")]
    public void Varint_MatchesGoldenVectors(ulong value, string hex)
    {
        Assert.Equal(hex, Convert.ToHexString(Varint.Encode(value)).ToLowerInvariant());
        Assert.Equal(value, Varint.Read(Convert.FromHexString(hex), out var consumed));
        Assert.Equal(hex.Length / 2, consumed);
    }

    [Fact]
    public void TruncatedInput_AsksForMore()
    {
        Assert.False(Varint.TryRead(new byte[] { 0x80, 0x80 }, out _, out _));
    }

    [Fact]
    public void OversizedAndNonMinimal_AreRejected()
    {
        Assert.Throws<FormatException>(() => Varint.TryRead(Enumerable.Repeat((byte)0xFF, 10).ToArray(), out _, out _));
        Assert.Throws<FormatException>(() => Varint.TryRead(new byte[] { 0x81, 0x00 }, out _, out _));
    }
}
