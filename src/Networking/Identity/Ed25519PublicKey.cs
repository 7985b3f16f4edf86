using Org.BouncyCastle.Math.EC.Rfc8032;
using P2P.Networking.Identity.Protos;

namespace P2P.Networking.Identity;

/// <summary>An Ed25519 public key (RFC 8032 signatures).</summary>
public sealed class Ed25519PublicKey : PublicKey
{
    public const int Length = 32;
    private readonly byte[] _key;

    public Ed25519PublicKey(ReadOnlySpan<byte> raw)
    {
        if (raw.Length != Length)
        {
            throw new FormatException($"Ed25519 public key of {raw.Length} bytes");
        }
        _key = raw.ToArray();
    }

    public override KeyType Type => KeyType.Ed25519;

    public override ReadOnlySpan<byte> Raw => _key;

    public override bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != Ed25519.SignatureSize)
        {
            return false;
        }
        try
        {
            return Ed25519.Verify(signature.ToArray(), 0, _key, 0, message.ToArray(), 0, message.Length);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
