using System.Numerics;
using System.Text;

namespace P2P.Daemon.Identity;

/// <summary>Bitcoin-alphabet base58 (multibase base58btc), the text form of libp2p peer ids.</summary>
internal static class Base58
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var leadingZeros = 0;
        while (leadingZeros < data.Length && data[leadingZeros] == 0) leadingZeros++;
        var value = new BigInteger(data, isUnsigned: true, isBigEndian: true);
        var digits = new StringBuilder();
        while (value > 0)
        {
            value = BigInteger.DivRem(value, 58, out var remainder);
            digits.Insert(0, Alphabet[(int)remainder]);
        }
        return new string('1', leadingZeros) + digits;
    }
}
