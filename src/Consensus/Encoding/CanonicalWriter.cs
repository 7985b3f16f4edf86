using System.Buffers.Binary;
using System.Text;

namespace P2P.Consensus.Encoding;

/// <summary>Writes the fixed-order, big-endian binary encoding every consensus object is hashed in (docs/consensus.md §2).</summary>
public sealed class CanonicalWriter
{
    private readonly MemoryStream _buffer = new();

    public int Length => (int)_buffer.Length;

    public CanonicalWriter U8(byte value)
    {
        _buffer.WriteByte(value);
        return this;
    }

    public CanonicalWriter U32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public CanonicalWriter U64(ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public CanonicalWriter I64(long value) => U64(unchecked((ulong)value));

    /// <summary>Bytes of a length fixed by the format (hashes, keys, signatures): no length prefix.</summary>
    public CanonicalWriter Fixed(ReadOnlySpan<byte> bytes, int expectedLength)
    {
        if (bytes.Length != expectedLength)
            throw new ArgumentException($"field of {bytes.Length} bytes where {expectedLength} are required");
        _buffer.Write(bytes);
        return this;
    }

    /// <summary>Variable-length bytes: a u32 length, then the bytes.</summary>
    public CanonicalWriter Bytes(ReadOnlySpan<byte> bytes)
    {
        U32((uint)bytes.Length);
        _buffer.Write(bytes);
        return this;
    }

    /// <summary>A string as its UTF-8 bytes with a u32 length.</summary>
    public CanonicalWriter Text(string value) => Bytes(System.Text.Encoding.UTF8.GetBytes(value));

    public byte[] ToArray() => _buffer.ToArray();
}
