using P2P.Networking.Identity;
using P2P.Networking.Pubsub.Protos;

namespace P2P.Networking.Pubsub;

/// <summary>How the router reaches peers: an in-memory network in tests, libp2p streams in a node.</summary>
public interface IPubsubTransport
{
    /// <summary>Queues an RPC for the peer; never blocks (a full queue drops it).</summary>
    void Send(PeerId peer, RPC rpc);

    /// <summary>Asks for a connection to a peer learned by peer exchange.</summary>
    void Connect(PeerId peer, byte[]? signedPeerRecord);
}
