using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace P2P.Daemon.Identity;

/// <summary>The node's Ed25519 identity key and the libp2p peer id derived from it.</summary>
public sealed class NodeKey
{
    public const int SeedLength = 32;
    public const int PublicKeyLength = 32;

    private readonly byte[] seed;

    private NodeKey(byte[] seed)
    {
        this.seed = seed;
        PublicKey = new Ed25519PrivateKeyParameters(seed, 0).GeneratePublicKey().GetEncoded();
        PeerId = Base58.Encode(PeerIdBytes(PublicKey));
    }

    /// <summary>Raw 32-byte Ed25519 public key.</summary>
    public byte[] PublicKey { get; }

    /// <summary>base58btc identity-multihash peer id (<c>12D3KooW…</c>).</summary>
    public string PeerId { get; }

    public ReadOnlySpan<byte> Seed => seed;

    public static NodeKey Generate(SecureRandom? random = null) =>
        new(new Ed25519PrivateKeyParameters(random ?? new SecureRandom()).GetEncoded());

    public static NodeKey FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedLength) throw new ArgumentException($"an Ed25519 seed is {SeedLength} bytes, not {seed.Length}", nameof(seed));
        return new(seed.ToArray());
    }

    /// <summary>libp2p <c>PublicKey { Type = Ed25519 (1); Data = 32 bytes }</c>, deterministic protobuf.</summary>
    public static byte[] MarshalPublicKey(ReadOnlySpan<byte> publicKey) => [0x08, 0x01, 0x12, (byte)publicKey.Length, .. publicKey];

    /// <summary>Identity multihash of the marshalled public key: <c>00 ‖ len ‖ PublicKey</c> (it is at most 42 bytes).</summary>
    public static byte[] PeerIdBytes(ReadOnlySpan<byte> publicKey)
    {
        var marshalled = MarshalPublicKey(publicKey);
        return [0x00, (byte)marshalled.Length, .. marshalled];
    }
}
