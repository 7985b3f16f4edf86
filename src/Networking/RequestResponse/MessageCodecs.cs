using P2P.Networking.Streams;

namespace P2P.Networking.RequestResponse;

/// <summary>Codec calls with the protocol error rules: our own oversized message is a caller error, a peer's bad one a violation (also used by the simulated network).</summary>
public static class MessageCodecs
{
    public static ReadOnlyMemory<byte> EncodeOutgoing<T>(IMessageCodec<T> codec, T message, string protocolId, string what)
    {
        var bytes = codec.Encode(message);
        if (bytes.Length > codec.MaxBytes)
        {
            throw new ArgumentException($"{protocolId}: {what} of {bytes.Length} bytes exceeds {codec.MaxBytes}");
        }
        return bytes;
    }

    public static T DecodeIncoming<T>(IMessageCodec<T> codec, ReadOnlyMemory<byte> bytes, string protocolId, string what)
    {
        if (bytes.Length > codec.MaxBytes)
        {
            throw new ProtocolViolationException($"{protocolId}: {what} of {bytes.Length} bytes exceeds the limit of {codec.MaxBytes}");
        }
        try
        {
            return codec.Decode(bytes);
        }
        catch (FormatException e)
        {
            throw new ProtocolViolationException($"{protocolId}: undecodable {what}: {e.Message}", e);
        }
    }
}
