using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;
using P2P.Networking.Encoding;
using P2P.Networking.Pubsub.Protos;

namespace P2P.Networking.Pubsub;

/// <summary>uvarint-length-prefixed RPCs on a pubsub stream, with the RPC size cap enforced before any allocation.</summary>
internal static class RpcFraming
{
    /// <summary>Parses the next complete RPC from the front of the buffer.</summary>
    /// <exception cref="InvalidDataException">malformed length, an RPC over <paramref name="maxSize"/>, or bad protobuf.</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maxSize, out RPC? rpc)
    {
        rpc = null;
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
            throw new InvalidDataException("malformed RPC length", e);
        }
        if (length > (ulong)maxSize)
        {
            throw new InvalidDataException($"RPC of {length} bytes exceeds the {maxSize}-byte limit");
        }
        if (buffer.Length < used + (long)length)
        {
            return false;
        }
        try
        {
            rpc = RPC.Parser.ParseFrom(buffer.Slice(used, (long)length));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException("malformed RPC protobuf", e);
        }
        buffer = buffer.Slice(used + (long)length);
        return true;
    }

    public static void Write(PipeWriter writer, RPC rpc)
    {
        var size = rpc.CalculateSize();
        var span = writer.GetSpan(Varint.MaxLength);
        var used = Varint.Write(span, (ulong)size);
        writer.Advance(used);
        rpc.WriteTo(writer);
    }
}
