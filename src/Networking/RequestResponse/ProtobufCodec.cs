using Google.Protobuf;

namespace P2P.Networking.RequestResponse;

/// <summary>Protobuf messages of one type, with a size limit.</summary>
public sealed class ProtobufCodec<T>(MessageParser<T> parser, int maxBytes) : IMessageCodec<T>
    where T : IMessage<T>
{
    public int MaxBytes { get; } = maxBytes;

    public ReadOnlyMemory<byte> Encode(T message) => message.ToByteArray();

    public T Decode(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            return parser.ParseFrom(bytes.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FormatException($"malformed {typeof(T).Name}: {e.Message}", e);
        }
    }
}
