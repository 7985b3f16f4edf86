using P2P.Networking.Identity;

namespace P2P.Networking.Pubsub;

/// <summary>The node's private key as the pubsub signing identity.</summary>
public sealed class PubsubIdentity(PrivateKey key) : IPubsubIdentity
{
    public PeerId PeerId { get; } = key.PeerId;

    public byte[] MarshalledPublicKey { get; } = key.PublicKey.Marshal();

    public byte[] Sign(ReadOnlySpan<byte> data) => key.Sign(data);
}
