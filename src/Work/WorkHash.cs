using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace P2P.Work;

/// <summary>The work hash and the target test (docs/work-function.md §4).</summary>
public static class WorkHash
{
    public static readonly byte[] Domain = Encoding.ASCII.GetBytes("p2p/work/1");

    /// <summary>SHA-256("p2p/work/1" ‖ challenge ‖ nonce as u64 LE ‖ final activations as int8 bytes, row-major).</summary>
    public static byte[] Compute(ReadOnlySpan<byte> challenge, ulong nonce, ReadOnlySpan<sbyte> activations)
    {
        var hash = new byte[32];
        Compute(challenge, nonce, activations, hash);
        return hash;
    }

    public static void Compute(ReadOnlySpan<byte> challenge, ulong nonce, ReadOnlySpan<sbyte> activations, Span<byte> hash)
    {
        WorkPrf.RequireLength(challenge, "challenge");
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Domain);
        sha.AppendData(challenge);
        Span<byte> nonceBytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(nonceBytes, nonce);
        sha.AppendData(nonceBytes);
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(activations));
        sha.GetHashAndReset(hash);
    }

    /// <summary>SHA-256 of the final activation bytes alone (a golden-vector checkpoint).</summary>
    public static byte[] OfActivations(ReadOnlySpan<sbyte> activations) =>
        SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(activations));

    /// <summary>True when workHash ≤ target, both read as 256-bit big-endian unsigned integers.</summary>
    public static bool MeetsTarget(ReadOnlySpan<byte> workHash, ReadOnlySpan<byte> target)
    {
        WorkPrf.RequireLength(workHash, "workHash");
        WorkPrf.RequireLength(target, "target");
        return workHash.SequenceCompareTo(target) <= 0;
    }

    /// <summary>The target met by a hash with at least k leading zero bits: 2^(256−k) − 1.</summary>
    public static byte[] TargetWithLeadingZeroBits(int k)
    {
        if (k is < 0 or > 256) throw new ArgumentOutOfRangeException(nameof(k));
        var target = new byte[32];
        target.AsSpan().Fill(0xFF);
        for (int bit = 0; bit < k; bit++)
            target[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return target;
    }
}
