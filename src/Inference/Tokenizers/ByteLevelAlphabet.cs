namespace P2P.Inference.Tokenizers;

/// <summary>
/// GPT-2's reversible byte → printable character map: bytes '!'..'~', '¡'..'¬' and '®'..'ÿ' stand for themselves,
/// the other 68 bytes map to U+0100, U+0101, … in byte order.
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = Build();
    private static readonly Dictionary<char, byte> CharToByte = ByteToChar.Select((c, b) => (c, b)).ToDictionary(p => p.c, p => (byte)p.b);

    private static char[] Build()
    {
        var map = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }

    public static char Encode(byte b) => ByteToChar[b];

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) chars[i] = ByteToChar[bytes[i]];
        return new string(chars);
    }

    public static bool TryDecode(char c, out byte b) => CharToByte.TryGetValue(c, out b);
}
