using System.Buffers;
using System.Text;
using P2P.Networking.Encoding;
using P2P.Networking.Streams;

namespace P2P.Networking.Multistream;

/// <summary>multistream-select 1.0 message codec: <c>uvarint(len) ‖ utf8 ‖ '\n'</c>, at most 1 KiB.</summary>
public static class MultistreamMessage
{
    public const string Header = "/multistream/1.0.0";
    public const string NotAvailable = "na";
    public const string List = "ls";
    public const int MaxLength = 1024;

    public static byte[] Encode(string text)
    {
        var bytes = new byte[Varint.MaxLength + System.Text.Encoding.UTF8.GetByteCount(text) + 1];
        var length = Write(bytes, text);
        return bytes[..length];
    }

    public static int Write(Span<byte> destination, string text)
    {
        var textLength = System.Text.Encoding.UTF8.GetByteCount(text);
        if (textLength + 1 > MaxLength)
        {
            throw new ArgumentException($"multistream message of {textLength + 1} bytes exceeds {MaxLength}");
        }
        var used = Varint.Write(destination, (ulong)(textLength + 1));
        used += System.Text.Encoding.UTF8.GetBytes(text, destination[used..]);
        destination[used++] = (byte)'\n';
        return used;
    }

    public static void Write(IBufferWriter<byte> writer, string text)
    {
        var span = writer.GetSpan(MaxLength + Varint.MaxLength);
        writer.Advance(Write(span, text));
    }

    /// <summary>Parses one message from the front of <paramref name="buffer"/>; false when more bytes are needed.</summary>
    /// <exception cref="ProtocolViolationException">too long, missing newline or invalid UTF-8.</exception>
    public static bool TryParse(ref ReadOnlySequence<byte> buffer, out string text)
    {
        text = "";
        if (!LengthPrefixed.TryParse(ref buffer, MaxLength, out var message))
        {
            return false;
        }
        if (message.Length == 0 || message[^1] != (byte)'\n')
        {
            throw new ProtocolViolationException("multistream message does not end with a newline");
        }
        try
        {
            text = new UTF8Encoding(false, true).GetString(message, 0, message.Length - 1);
        }
        catch (DecoderFallbackException e)
        {
            throw new ProtocolViolationException("multistream message is not UTF-8", e);
        }
        return true;
    }

    /// <summary>The body of an <c>ls</c> answer: each protocol as a message, then a newline, the whole as one message.</summary>
    public static byte[] EncodeList(IEnumerable<string> protocols)
    {
        var body = new ArrayBufferWriter<byte>();
        foreach (var protocol in protocols)
        {
            Write(body, protocol);
        }
        body.Write("\n"u8);
        var framed = new ArrayBufferWriter<byte>();
        LengthPrefixed.Write(framed, body.WrittenSpan);
        return framed.WrittenSpan.ToArray();
    }
}
