namespace P2P.Networking.Pubsub;

/// <summary>A gossipsub message id, compared by value (usable as a dictionary key).</summary>
public readonly struct MessageId : IEquatable<MessageId>
{
    private readonly byte[] _bytes;
    private readonly int _hashCode;

    public MessageId(byte[] bytes)
    {
        _bytes = bytes;
        var hash = new HashCode();
        hash.AddBytes(bytes);
        _hashCode = hash.ToHashCode();
    }

    public ReadOnlySpan<byte> Span => _bytes;

    public byte[] ToArray() => (byte[])_bytes.Clone();

    internal byte[] Bytes => _bytes;

    public bool Equals(MessageId other) => _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => obj is MessageId other && Equals(other);

    public override int GetHashCode() => _hashCode;

    public override string ToString() => Convert.ToHexString(_bytes);

    public static bool operator ==(MessageId left, MessageId right) => left.Equals(right);

    public static bool operator !=(MessageId left, MessageId right) => !left.Equals(right);
}
