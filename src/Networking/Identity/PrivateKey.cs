using Google.Protobuf;
using P2P.Networking.Identity.Protos;

namespace P2P.Networking.Identity;

/// <summary>A libp2p private identity key; only Ed25519 is supported.</summary>
public abstract class PrivateKey
{
    public abstract KeyType Type { get; }

    public abstract PublicKey PublicKey { get; }

    public PeerId PeerId => PublicKey.ToPeerId();

    public abstract byte[] Sign(ReadOnlySpan<byte> message);

    /// <summary>The libp2p <c>Data</c> bytes (Ed25519: 64 bytes, seed ‖ public key).</summary>
    protected abstract byte[] MarshalData();

    /// <summary>The libp2p PrivateKey protobuf (what <c>p2pd init</c> writes to the node key file).</summary>
    public byte[] Marshal() => new Protos.PrivateKey { Type = Type, Data = ByteString.CopyFrom(MarshalData()) }.ToByteArray();

    /// <exception cref="FormatException">malformed protobuf, unsupported type or inconsistent key.</exception>
    public static PrivateKey Unmarshal(ReadOnlySpan<byte> marshalled)
    {
        var proto = KeyMessage.Parse(Protos.PrivateKey.Parser, marshalled, 4096, "private key");
        return proto.Type switch
        {
            KeyType.Ed25519 => Ed25519PrivateKey.FromLibp2pData(proto.Data.Span),
            _ => throw new FormatException($"unsupported key type {proto.Type}"),
        };
    }
}
