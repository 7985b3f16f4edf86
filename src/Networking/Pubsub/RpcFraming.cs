using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;
using P2P.Networking.Encoding;
using P2P.Networking.Pubsub.Protos;
using P2P.Networking.Streams;

namespace P2P.Networking.Pubsub;

/// <summary>uvarint-length-prefixed RPCs on a pubsub stream (framing from <see cref="LengthPrefixed"/>), with the RPC size cap enforced before any allocation.</summary>
internal static class RpcFraming
{
    /// <summary>Parses the next complete RPC from the front of the buffer.</summary>
    /// <exception cref="ProtocolViolationException">malformed length, an RPC over <paramref name="maxSize"/>, or bad protobuf.</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maxSize, out RPC? rpc)
    {
        rpc = null;
        if (!LengthPrefixed.TrySlice(ref buffer, maxSize, out var body))
        {
            return false;
        }
        try
        {
            rpc = RPC.Parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ProtocolViolationException("malformed RPC protobuf", e);
        }
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
