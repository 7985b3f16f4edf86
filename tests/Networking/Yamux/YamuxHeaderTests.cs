using P2P.Networking.Streams;
using P2P.Networking.Yamux;

namespace P2P.Networking.Tests.Yamux;

public sealed class YamuxHeaderTests
{
    [Theory]
    [InlineData(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1u, 0u, "000100010000000100000000")]
    [InlineData(YamuxFrameType.WindowUpdate, YamuxFlags.Ack, 2u, 0u, "000100020000000200000000")]
    [InlineData(YamuxFrameType.Data, YamuxFlags.None, 3u, 65536u, "000000000000000300010000")]
    [InlineData(YamuxFrameType.WindowUpdate, YamuxFlags.Fin, 5u, 0u, "000100040000000500000000")]
    [InlineData(YamuxFrameType.WindowUpdate, YamuxFlags.Rst, 7u, 0u, "000100080000000700000000")]
    [InlineData(YamuxFrameType.Ping, YamuxFlags.Syn, 0u, 42u, "00020001000000000000002a")]
    [InlineData(YamuxFrameType.Ping, YamuxFlags.Ack, 0u, 42u, "00020002000000000000002a")]
    [InlineData(YamuxFrameType.GoAway, YamuxFlags.None, 0u, 1u, "000300000000000000000001")]
    [InlineData(YamuxFrameType.WindowUpdate, YamuxFlags.None, 9u, 262144u, "000100000000000900040000")]
    public void YamuxHeader_MatchesGoldenFrames(YamuxFrameType type, YamuxFlags flags, uint stream, uint length, string hex)
    {
        var header = new YamuxHeader(type, flags, stream, length);
        Assert.Equal(hex, Convert.ToHexStringLower(header.ToBytes()));
        Assert.Equal(header, YamuxHeader.Read(Convert.FromHexString(hex)));
    }

    [Theory]
    [InlineData("010000000000000100000000")]
    [InlineData("000400000000000100000000")]
    [InlineData("00ff00000000000100000000")]
    public void UnknownVersionsAndTypes_AreProtocolErrors(string hex)
    {
        Assert.Throws<ProtocolViolationException>(() => YamuxHeader.Read(Convert.FromHexString(hex)));
    }
}
