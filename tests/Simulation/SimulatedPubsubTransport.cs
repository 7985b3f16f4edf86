using Google.Protobuf;
using P2P.Networking.Identity;
using P2P.Networking.Pubsub;
using P2P.Networking.Pubsub.Protos;

namespace P2P.Simulation;

/// <summary>Gossipsub RPCs over simulated links: encoded and decoded as on a wire, delivered after the link's latency.</summary>
internal sealed class SimulatedPubsubTransport(SimulatedPeer self) : IPubsubTransport
{
    public void Send(PeerId peer, RPC rpc)
    {
        var bytes = rpc.ToByteArray();
        self.Network.Send(self.Id, peer, () => self.Network.DeliverRpc(self.Id, peer, bytes));
    }

    /// <summary>Peer exchange asks for a connection; simulated peers connect only as the test says.</summary>
    public void Connect(PeerId peer, byte[]? signedPeerRecord)
    {
    }
}
