using System.Buffers.Binary;
using P2P.Networking.Streams;

namespace P2P.Networking.Yamux;

/// <summary>The 12-byte big-endian yamux header: version, type, flags, stream id, length.</summary>
public readonly record struct YamuxHeader(YamuxFrameType Type, YamuxFlags Flags, uint StreamId, uint Length)
{
    public const int Size = 12;
    public const byte Version = 0;

    public void Write(Span<byte> destination)
    {
        destination[0] = Version;
        destination[1] = (byte)Type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)Flags);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], StreamId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Length);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        Write(bytes);
        return bytes;
    }

    /// <exception cref="ProtocolViolationException">unknown version or frame type.</exception>
    public static YamuxHeader Read(ReadOnlySpan<byte> source)
    {
        if (source[0] != Version)
        {
            throw new ProtocolViolationException($"yamux version {source[0]}");
        }
        if (source[1] > (byte)YamuxFrameType.GoAway)
        {
            throw new ProtocolViolationException($"unknown yamux frame type {source[1]}");
        }
        return new YamuxHeader(
            (YamuxFrameType)source[1],
            (YamuxFlags)BinaryPrimitives.ReadUInt16BigEndian(source[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[8..]));
    }
}
