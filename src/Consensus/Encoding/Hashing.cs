using System.Security.Cryptography;

namespace P2P.Consensus.Encoding;

/// <summary>SHA-256 helpers and the 32-byte hash conventions of the chain.</summary>
public static class Hashing
{
    public const int HashLength = 32;

    public static byte[] Sha256(ReadOnlySpan<byte> data) => SHA256.HashData(data);

    public static byte[] Sha256(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(a);
        sha.AppendData(b);
        return sha.GetHashAndReset();
    }

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    public static string Short(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash[..Math.Min(6, hash.Length)]);
}
