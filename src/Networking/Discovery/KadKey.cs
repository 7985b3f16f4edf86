using System.Numerics;
using System.Security.Cryptography;
using P2P.Networking.Identity;

namespace P2P.Networking.Discovery;

/// <summary>A point in the Kademlia keyspace: SHA-256 of a key; distance is XOR.</summary>
public readonly struct KadKey : IEquatable<KadKey>
{
    public const int Bits = 256;
    private readonly byte[] _hash;

    private KadKey(byte[] hash) => _hash = hash;

    public static KadKey FromBytes(ReadOnlySpan<byte> key) => new(SHA256.HashData(key));

    public static KadKey FromPeer(PeerId peer) => FromBytes(peer.Bytes);

    public ReadOnlySpan<byte> Hash => _hash;

    /// <summary>Number of leading bits shared with <paramref name="other"/> (256 when equal).</summary>
    public int CommonPrefixLength(KadKey other)
    {
        for (var i = 0; i < _hash.Length; i++)
        {
            var x = (byte)(_hash[i] ^ other._hash[i]);
            if (x != 0)
            {
                return i * 8 + BitOperations.LeadingZeroCount((uint)x) - 24;
            }
        }
        return Bits;
    }

    /// <summary>Compares the XOR distances of <paramref name="a"/> and <paramref name="b"/> to this key.</summary>
    public int CompareDistance(KadKey a, KadKey b)
    {
        for (var i = 0; i < _hash.Length; i++)
        {
            var da = (byte)(a._hash[i] ^ _hash[i]);
            var db = (byte)(b._hash[i] ^ _hash[i]);
            if (da != db)
            {
                return da.CompareTo(db);
            }
        }
        return 0;
    }

    public bool Equals(KadKey other) => _hash.AsSpan().SequenceEqual(other._hash);

    public override bool Equals(object? obj) => obj is KadKey other && Equals(other);

    public override int GetHashCode() => BitConverter.ToInt32(_hash, 0);

    public override string ToString() => Convert.ToHexString(_hash);
}
