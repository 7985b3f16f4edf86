using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace P2P.Inference.Tests.Support;

/// <summary>SHA-256 of float arrays' exact bits, for bit-exactness assertions.</summary>
public static class Hashing
{
    public static string Of(ReadOnlySpan<float> values) => Convert.ToHexString(SHA256.HashData(MemoryMarshal.AsBytes(values)));

    public static string Of(IEnumerable<float[]> arrays)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var a in arrays) sha.AppendData(MemoryMarshal.AsBytes(a.AsSpan()));
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
