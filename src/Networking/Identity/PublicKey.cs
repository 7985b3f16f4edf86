using Google.Protobuf;
using P2P.Networking.Identity.Protos;

namespace P2P.Networking.Identity;

/// <summary>A libp2p public identity key; only Ed25519 is supported.</summary>
public abstract class PublicKey : IEquatable<PublicKey>
{
    public abstract KeyType Type { get; }

    /// <summary>The raw key bytes (the protobuf <c>Data</c> field).</summary>
    public abstract ReadOnlySpan<byte> Raw { get; }

    public abstract bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature);

    /// <summary>The deterministic libp2p PublicKey protobuf.</summary>
    public byte[] Marshal() => new Protos.PublicKey { Type = Type, Data = ByteString.CopyFrom(Raw) }.ToByteArray();

    public PeerId ToPeerId() => PeerId.FromPublicKey(Marshal());

    /// <exception cref="FormatException">malformed protobuf, unsupported key type or wrong key length.</exception>
    public static PublicKey Unmarshal(ReadOnlySpan<byte> marshalled)
    {
        var proto = KeyMessage.Parse(Protos.PublicKey.Parser, marshalled, 1024, "public key");
        return proto.Type switch
        {
            KeyType.Ed25519 => new Ed25519PublicKey(proto.Data.Span),
            _ => throw new FormatException($"unsupported key type {proto.Type}"),
        };
    }

    /// <summary>The key inlined in an identity-multihash peer id.</summary>
    public static PublicKey FromPeerId(PeerId peer) =>
        Unmarshal(peer.TryGetInlinePublicKey() ?? throw new FormatException("peer id does not inline its key"));

    public bool Equals(PublicKey? other) => other is not null && other.Type == Type && other.Raw.SequenceEqual(Raw);

    public override bool Equals(object? obj) => obj is PublicKey other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Type);
        hash.AddBytes(Raw);
        return hash.ToHashCode();
    }
}
