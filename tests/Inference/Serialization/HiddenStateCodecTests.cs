using P2P.Inference.Serialization;

namespace P2P.Inference.Tests.Serialization;

public class HiddenStateCodecTests
{
    [Fact]
    public void Float32Encoding_MatchesTheGoldenBytes_AndRoundTripsExactly()
    {
        float[] values = [1f, -2.5f, 0f, float.Epsilon, -0f, 3.14159274f];
        var bytes = HiddenStateCodec.Encode(values, 2, 3, HiddenStateFormat.Float32);
        Assert.Equal(
            "50325048" + "01" + "00" + "0000" + "02000000" + "03000000"
            + "0000803F" + "000020C0" + "00000000" + "01000000" + "00000080" + "DB0F4940",
            Convert.ToHexString(bytes));
        var decoded = HiddenStateCodec.Decode(bytes, out int rows, out int dim);
        Assert.Equal((2, 3), (rows, dim));
        Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), decoded.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void BFloat16Encoding_RoundsToNearestEven_AndMatchesTheGoldenBytes()
    {
        // 1 + 2^-8 is a tie → even (1.0); 1 + 3·2^-8 ties up to 1 + 2^-6; NaN stays NaN.
        float[] values = [1f + 1f / 256, 1f + 3f / 256, -2f, float.NaN];
        var bytes = HiddenStateCodec.Encode(values, 1, 4, HiddenStateFormat.BFloat16);
        Assert.Equal("50325048" + "01" + "01" + "0000" + "01000000" + "04000000" + "803F" + "823F" + "00C0" + "C0FF", Convert.ToHexString(bytes));
        var decoded = HiddenStateCodec.Decode(bytes, out _, out _);
        Assert.Equal([1f, 1f + 1f / 64, -2f], decoded[..3]);
        Assert.True(float.IsNaN(decoded[3]));
    }

    [Fact]
    public void MalformedOrOversizedInputs_AreRejected()
    {
        var good = HiddenStateCodec.Encode(new float[8], 2, 4, HiddenStateFormat.Float32);
        Assert.Throws<FormatException>(() => HiddenStateCodec.Decode(good[..10], out _, out _));
        Assert.Throws<FormatException>(() => HiddenStateCodec.Decode(good[..^1], out _, out _));
        Assert.Throws<FormatException>(() => HiddenStateCodec.Decode([.. good, 0], out _, out _));
        Assert.Throws<FormatException>(() => HiddenStateCodec.Decode(good, out _, out _, expectedDim: 5));
        Assert.Throws<FormatException>(() => HiddenStateCodec.Decode(good, out _, out _, maxElements: 7));
        var badMagic = (byte[])good.Clone();
        badMagic[0] = (byte)'X';
        Assert.Throws<FormatException>(() => HiddenStateCodec.Decode(badMagic, out _, out _));
        var badFormat = (byte[])good.Clone();
        badFormat[5] = 9;
        Assert.Throws<FormatException>(() => HiddenStateCodec.Decode(badFormat, out _, out _));
        var huge = (byte[])good.Clone();
        huge[8] = huge[9] = huge[10] = huge[11] = 0xFF;
        Assert.Throws<FormatException>(() => HiddenStateCodec.Decode(huge, out _, out _));
    }
}
