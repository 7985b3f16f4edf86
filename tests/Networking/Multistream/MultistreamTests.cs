using System.Buffers;
using System.IO.Pipelines;
using P2P.Networking.Core;
using P2P.Networking.Multistream;
using P2P.Networking.Streams;

namespace P2P.Networking.Tests.Multistream;

public sealed class MultistreamTests
{
    [Theory]
    [InlineData("/multistream/1.0.0", "132f6d756c746973747265616d2f312e302e300a")]
    [InlineData("na", "036e610a")]
    [InlineData("ls", "036c730a")]
    [InlineData("/noise", "072f6e6f6973650a")]
    [InlineData("/yamux/1.0.0", "0d2f79616d75782f312e302e300a")]
    public void Multistream_MatchesGoldenMessages(string text, string hex)
    {
        Assert.Equal(hex, Convert.ToHexStringLower(MultistreamMessage.Encode(text)));
        var buffer = new ReadOnlySequence<byte>(Convert.FromHexString(hex));
        Assert.True(MultistreamMessage.TryParse(ref buffer, out var parsed));
        Assert.Equal(text, parsed);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void Ls_AnswerIsAMessageOfMessages()
    {
        Assert.Equal("11" + "072f612f312e300a" + "072f622f322e300a" + "0a",
            Convert.ToHexStringLower(MultistreamMessage.EncodeList(["/a/1.0", "/b/2.0"])));
    }

    [Fact]
    public void OversizedOrUnterminatedLines_AreRejected()
    {
        var oversized = new ArrayBufferWriter<byte>();
        LengthPrefixed.Write(oversized, System.Text.Encoding.ASCII.GetBytes(new string('a', 1100) + "\n"));
        var buffer = new ReadOnlySequence<byte>(oversized.WrittenMemory);
        Assert.Throws<ProtocolViolationException>(() => MultistreamMessage.TryParse(ref buffer, out _));
        var unterminated = new ReadOnlySequence<byte>(Convert.FromHexString("02616161"));
        Assert.Throws<ProtocolViolationException>(() => MultistreamMessage.TryParse(ref unterminated, out _));
        var partial = new ReadOnlySequence<byte>(Convert.FromHexString("0561"));
        Assert.False(MultistreamMessage.TryParse(ref partial, out _));
    }

    [Fact]
    public async Task Dialer_FallsBackAfterNaAndListenerAnswersLs()
    {
        var (dialer, listener) = DuplexPair();
        var listening = MultistreamSelect.ListenAsync(listener, p => p == "/b/1", () => ["/b/1"], CancellationToken.None);
        var chosen = await MultistreamSelect.SelectAsync(dialer, ["/a/1", "/b/1"], CancellationToken.None);
        Assert.Equal("/b/1", chosen);
        Assert.Equal("/b/1", await listening);
    }

    [Fact]
    public async Task Listener_HandlesHeaderAndProposalInOneSegmentAndAnswersLs()
    {
        var (dialer, listener) = DuplexPair();
        var listening = MultistreamSelect.ListenAsync(listener, p => p == "/x/1", () => ["/x/1"], CancellationToken.None);
        var oneSegment = new ArrayBufferWriter<byte>();
        MultistreamMessage.Write(oneSegment, MultistreamMessage.Header);
        MultistreamMessage.Write(oneSegment, "ls");
        MultistreamMessage.Write(oneSegment, "/x/1");
        await dialer.Output.WriteAsync(oneSegment.WrittenMemory);
        await listening;
        var expected = new ArrayBufferWriter<byte>();
        MultistreamMessage.Write(expected, MultistreamMessage.Header);
        expected.Write(MultistreamMessage.EncodeList(["/x/1"]));
        MultistreamMessage.Write(expected, "/x/1");
        var read = await dialer.Input.ReadAtLeastAsync(expected.WrittenCount);
        Assert.Equal(Convert.ToHexStringLower(expected.WrittenSpan), Convert.ToHexStringLower(read.Buffer.ToArray()));
    }

    [Fact]
    public async Task NoCommonProtocol_RaisesProtocolNotSupported()
    {
        var (dialer, listener) = DuplexPair();
        _ = MultistreamSelect.ListenAsync(listener, _ => false, () => [], CancellationToken.None);
        await Assert.ThrowsAsync<ProtocolNotSupportedException>(() => MultistreamSelect.SelectAsync(dialer, ["/a/1"], CancellationToken.None));
    }

    internal static (IDuplexPipe A, IDuplexPipe B) DuplexPair()
    {
        var ab = new Pipe();
        var ba = new Pipe();
        return (new Duplex(ba.Reader, ab.Writer), new Duplex(ab.Reader, ba.Writer));
    }

    private sealed record Duplex(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
