using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc8032;
using P2P.Networking.Identity.Protos;

namespace P2P.Networking.Identity;

/// <summary>An Ed25519 private key held as its 32-byte seed.</summary>
public sealed class Ed25519PrivateKey : PrivateKey
{
    public const int SeedLength = 32;
    private readonly byte[] _seed;
    private readonly Ed25519PublicKey _publicKey;

    private Ed25519PrivateKey(byte[] seed)
    {
        _seed = seed;
        var pub = new byte[Ed25519PublicKey.Length];
        Ed25519.GeneratePublicKey(seed, 0, pub, 0);
        _publicKey = new Ed25519PublicKey(pub);
    }

    public override KeyType Type => KeyType.Ed25519;

    public override PublicKey PublicKey => _publicKey;

    public ReadOnlySpan<byte> Seed => _seed;

    public static Ed25519PrivateKey Generate() => new(RandomNumberGenerator.GetBytes(SeedLength));

    /// <summary>Deterministic key for tests and tools.</summary>
    public static Ed25519PrivateKey Generate(Random random)
    {
        var seed = new byte[SeedLength];
        random.NextBytes(seed);
        return new Ed25519PrivateKey(seed);
    }

    public static Ed25519PrivateKey FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedLength)
        {
            throw new FormatException($"Ed25519 seed of {seed.Length} bytes");
        }
        return new Ed25519PrivateKey(seed.ToArray());
    }

    /// <summary>libp2p's Ed25519 <c>Data</c>: 64 bytes seed ‖ public key (32-byte seeds alone are accepted too).</summary>
    public static Ed25519PrivateKey FromLibp2pData(ReadOnlySpan<byte> data)
    {
        if (data.Length == SeedLength)
        {
            return FromSeed(data);
        }
        if (data.Length != SeedLength + Ed25519PublicKey.Length)
        {
            throw new FormatException($"Ed25519 private key data of {data.Length} bytes");
        }
        var key = FromSeed(data[..SeedLength]);
        if (!key._publicKey.Raw.SequenceEqual(data[SeedLength..]))
        {
            throw new FormatException("Ed25519 private key data: public half does not match the seed");
        }
        return key;
    }

    public override byte[] Sign(ReadOnlySpan<byte> message)
    {
        var signature = new byte[Ed25519.SignatureSize];
        Ed25519.Sign(_seed, 0, message.ToArray(), 0, message.Length, signature, 0);
        return signature;
    }

    protected override byte[] MarshalData() => [.. _seed, .. _publicKey.Raw];
}
