namespace P2P.Networking.RequestResponse;

/// <summary>Turns one protocol message into bytes and back, within a size limit that both sides enforce.</summary>
public interface IMessageCodec<T>
{
    /// <summary>Largest encoded message: bigger ones are never sent, and never read past their length prefix.</summary>
    int MaxBytes { get; }

    ReadOnlyMemory<byte> Encode(T message);

    /// <summary>Decodes a message of at most <see cref="MaxBytes"/> bytes.</summary>
    /// <exception cref="FormatException">the bytes are not a valid message (the caller treats it as a protocol violation).</exception>
    T Decode(ReadOnlyMemory<byte> bytes);
}
