namespace P2P.Networking.Encoding;

/// <summary>RFC 4648 base32, lower case, no padding (multibase prefix 'b'), as used for CIDv1 text.</summary>
public static class Base32
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var chars = new char[(data.Length * 8 + 4) / 5];
        int buffer = 0, bits = 0, n = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[n++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }
        if (bits > 0)
        {
            chars[n++] = Alphabet[(buffer << (5 - bits)) & 31];
        }
        return new string(chars, 0, n);
    }

    /// <exception cref="FormatException">a character outside the alphabet (either case accepted).</exception>
    public static byte[] Decode(string text)
    {
        if (text.Length > 4096)
        {
            throw new FormatException("base32 text too long");
        }
        var bytes = new byte[text.Length * 5 / 8];
        int buffer = 0, bits = 0, n = 0;
        foreach (var c in text)
        {
            var value = Alphabet.IndexOf(char.ToLowerInvariant(c));
            if (value < 0)
            {
                throw new FormatException($"invalid base32 character '{c}'");
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bytes[n++] = (byte)(buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return bytes;
    }
}
