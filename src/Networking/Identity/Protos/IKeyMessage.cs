using Google.Protobuf;

namespace P2P.Networking.Identity.Protos;

/// <summary>The shape shared by the libp2p <c>PublicKey</c> and <c>PrivateKey</c> protobufs: a key type and its bytes.</summary>
internal interface IKeyMessage
{
    bool HasType { get; }

    bool HasData { get; }

    KeyType Type { get; }

    ByteString Data { get; }
}
