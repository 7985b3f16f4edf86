using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc7748;
using P2P.Networking.Streams;

namespace P2P.Networking.Noise;

/// <summary>An X25519 key pair for the Noise handshake (the static one is separate from the identity key).</summary>
public sealed class X25519KeyPair
{
    public const int KeyLength = 32;

    private X25519KeyPair(byte[] privateKey)
    {
        PrivateKey = privateKey;
        PublicKey = new byte[KeyLength];
        X25519.ScalarMultBase(privateKey, 0, PublicKey, 0);
    }

    public byte[] PrivateKey { get; }

    public byte[] PublicKey { get; }

    public static X25519KeyPair Generate() => new(RandomNumberGenerator.GetBytes(KeyLength));

    public static X25519KeyPair FromPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != KeyLength)
        {
            throw new ArgumentException($"X25519 private key of {privateKey.Length} bytes");
        }
        return new(privateKey.ToArray());
    }

    /// <exception cref="ProtocolViolationException">the remote key is a low-order point (all-zero shared secret).</exception>
    public byte[] Agree(ReadOnlySpan<byte> remotePublicKey)
    {
        var shared = new byte[KeyLength];
        if (!X25519.CalculateAgreement(PrivateKey, 0, remotePublicKey.ToArray(), 0, shared, 0))
        {
            throw new ProtocolViolationException("noise: remote X25519 key gives an all-zero shared secret");
        }
        return shared;
    }
}
