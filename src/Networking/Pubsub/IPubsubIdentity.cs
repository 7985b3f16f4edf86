using P2P.Networking.Identity;

namespace P2P.Networking.Pubsub;

/// <summary>The node key as pubsub needs it: who we are and how to sign outgoing messages.</summary>
public interface IPubsubIdentity
{
    PeerId PeerId { get; }

    /// <summary>The libp2p protobuf-marshalled PublicKey.</summary>
    byte[] MarshalledPublicKey { get; }

    byte[] Sign(ReadOnlySpan<byte> data);
}
