namespace P2P.Networking.RequestResponse;

/// <summary>Messages that are plain bytes, passed through unchanged.</summary>
public sealed class RawBytesCodec(int maxBytes) : IMessageCodec<ReadOnlyMemory<byte>>
{
    public int MaxBytes { get; } = maxBytes;

    public ReadOnlyMemory<byte> Encode(ReadOnlyMemory<byte> message) => message;

    public ReadOnlyMemory<byte> Decode(ReadOnlyMemory<byte> bytes) => bytes;
}
