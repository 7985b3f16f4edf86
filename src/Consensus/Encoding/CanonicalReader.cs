using System.Buffers.Binary;

namespace P2P.Consensus.Encoding;

/// <summary>Reads the canonical encoding strictly: every read is bounds-checked and throws <see cref="FormatException"/> on short or oversized input.</summary>
public ref struct CanonicalReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly int Remaining => _data.Length - _position;

    public readonly bool AtEnd => _position == _data.Length;

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining) throw new FormatException($"truncated: {count} bytes wanted, {Remaining} left");
        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    public byte U8() => Take(1)[0];

    public uint U32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public ulong U64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));

    public long I64() => unchecked((long)U64());

    public byte[] Fixed(int length) => Take(length).ToArray();

    /// <summary>u32 length then bytes; lengths above <paramref name="maxLength"/> are refused before anything is copied.</summary>
    public byte[] Bytes(int maxLength)
    {
        uint length = U32();
        if (length > (uint)maxLength) throw new FormatException($"field of {length} bytes exceeds its cap of {maxLength}");
        return Take((int)length).ToArray();
    }

    public string Text(int maxBytes)
    {
        var bytes = Bytes(maxBytes);
        try
        {
            return new System.Text.UTF8Encoding(false, true).GetString(bytes);
        }
        catch (ArgumentException e)
        {
            throw new FormatException("text is not valid UTF-8", e);
        }
    }

    public readonly void ExpectEnd()
    {
        if (!AtEnd) throw new FormatException($"{Remaining} trailing bytes");
    }
}
