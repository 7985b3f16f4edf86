using System.Buffers;
using System.IO.Pipelines;
using P2P.Networking.Encoding;

namespace P2P.Networking.Streams;

/// <summary>uvarint-length-prefixed messages on pipes, with a size limit on every read.</summary>
public static class LengthPrefixed
{
    /// <summary>Reads one message; null when the stream ended cleanly before any byte of it.</summary>
    /// <exception cref="ProtocolViolationException">oversized, malformed length or truncated message.</exception>
    public static async ValueTask<byte[]?> ReadAsync(PipeReader reader, int maxLength, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryParse(ref buffer, maxLength, out var message))
            {
                reader.AdvanceTo(buffer.Start);
                return message;
            }
            if (result.IsCompleted || result.IsCanceled)
            {
                var empty = buffer.IsEmpty;
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (empty)
                {
                    return null;
                }
                throw new ProtocolViolationException("stream ended inside a length-prefixed message");
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Parses one message from the front of <paramref name="buffer"/>, slicing it past the message.</summary>
    public static bool TryParse(ref ReadOnlySequence<byte> buffer, int maxLength, out byte[] message)
    {
        var found = TrySlice(ref buffer, maxLength, out var body);
        message = found ? body.ToArray() : [];
        return found;
    }

    /// <summary>Like <see cref="TryParse"/> but without copying: the message is a slice of the caller's buffer.</summary>
    /// <exception cref="ProtocolViolationException">malformed length or a message over <paramref name="maxLength"/>.</exception>
    public static bool TrySlice(ref ReadOnlySequence<byte> buffer, int maxLength, out ReadOnlySequence<byte> message)
    {
        message = default;
        Span<byte> head = stackalloc byte[Varint.MaxLength];
        var headLength = (int)Math.Min(buffer.Length, Varint.MaxLength);
        buffer.Slice(0, headLength).CopyTo(head);
        ulong length;
        int used;
        try
        {
            if (!Varint.TryRead(head[..headLength], out length, out used))
            {
                return false;
            }
        }
        catch (FormatException e)
        {
            throw new ProtocolViolationException("malformed message length", e);
        }
        if (length > (ulong)maxLength)
        {
            throw new ProtocolViolationException($"message of {length} bytes exceeds the limit of {maxLength}");
        }
        if (buffer.Length < used + (long)length)
        {
            return false;
        }
        message = buffer.Slice(used, (long)length);
        buffer = buffer.Slice(used + (long)length);
        return true;
    }

    public static void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> message)
    {
        var span = writer.GetSpan(Varint.MaxLength + message.Length);
        var used = Varint.Write(span, (ulong)message.Length);
        message.CopyTo(span[used..]);
        writer.Advance(used + message.Length);
    }

    public static async ValueTask WriteAsync(PipeWriter writer, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        Write(writer, message.Span);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Like <see cref="WriteAsync"/>, returning the flush result (completed: the reader has gone).</summary>
    public static ValueTask<FlushResult> WriteAndFlushAsync(PipeWriter writer, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        Write(writer, message.Span);
        return writer.FlushAsync(cancellationToken);
    }
}
