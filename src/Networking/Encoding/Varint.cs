namespace P2P.Networking.Encoding;

/// <summary>Unsigned LEB128 varints (multiformats uvarint), at most 9 bytes as the spec requires.</summary>
public static class Varint
{
    public const int MaxLength = 9;

    public static int Length(ulong value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }
        return length;
    }

    public static int Write(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    public static byte[] Encode(ulong value)
    {
        var buffer = new byte[Length(value)];
        Write(buffer, value);
        return buffer;
    }

    /// <summary>Decodes a varint; returns false when more bytes are needed.</summary>
    /// <exception cref="FormatException">longer than 9 bytes or not minimally encoded.</exception>
    public static bool TryRead(ReadOnlySpan<byte> source, out ulong value, out int consumed)
    {
        value = 0;
        for (var i = 0; i < source.Length; i++)
        {
            if (i == MaxLength)
            {
                throw new FormatException("varint longer than 9 bytes");
            }
            var b = source[i];
            value |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                if (b == 0 && i > 0)
                {
                    throw new FormatException("varint is not minimally encoded");
                }
                consumed = i + 1;
                return true;
            }
        }
        if (source.Length >= MaxLength)
        {
            throw new FormatException("varint longer than 9 bytes");
        }
        consumed = 0;
        return false;
    }

    /// <summary>Decodes a complete varint or throws.</summary>
    public static ulong Read(ReadOnlySpan<byte> source, out int consumed)
    {
        if (!TryRead(source, out var value, out consumed))
        {
            throw new FormatException("truncated varint");
        }
        return value;
    }
}
