using Google.Protobuf;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using P2P.Networking.Identity;
using P2P.Networking.Identity.Protos;

namespace P2P.Networking.Pubsub;

/// <summary>An Ed25519 signing identity for pubsub, built from a 32-byte seed.</summary>
public sealed class Ed25519PubsubIdentity : IPubsubIdentity
{
    private readonly Ed25519PrivateKeyParameters _privateKey;

    public Ed25519PubsubIdentity(ReadOnlySpan<byte> seed)
    {
        _privateKey = new Ed25519PrivateKeyParameters(seed.ToArray(), 0);
        var publicKey = new PublicKey { Type = KeyType.Ed25519, Data = ByteString.CopyFrom(_privateKey.GeneratePublicKey().GetEncoded()) };
        MarshalledPublicKey = publicKey.ToByteArray();
        PeerId = PeerId.FromPublicKey(MarshalledPublicKey);
    }

    public PeerId PeerId { get; }

    public byte[] MarshalledPublicKey { get; }

    public static Ed25519PubsubIdentity Generate(Random random)
    {
        var seed = new byte[32];
        random.NextBytes(seed);
        return new Ed25519PubsubIdentity(seed);
    }

    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, _privateKey);
        var bytes = data.ToArray();
        signer.BlockUpdate(bytes, 0, bytes.Length);
        return signer.GenerateSignature();
    }
}
