using P2P.Networking.Identity;

namespace P2P.Consensus.Blocks;

/// <summary>Ed25519 signing and verification of consensus messages with the identity key types of src/Networking.</summary>
public static class Signing
{
    public const int SignatureLength = 64;

    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != 32 || signature.Length != SignatureLength) return false;
        try
        {
            return new Ed25519PublicKey(publicKey).Verify(message, signature);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static byte[] Sign(Ed25519PrivateKey key, ReadOnlySpan<byte> message) => key.Sign(message);

    public static byte[] PublicKeyOf(Ed25519PrivateKey key) => key.PublicKey.Raw.ToArray();
}
