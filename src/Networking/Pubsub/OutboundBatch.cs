using P2P.Networking.Identity;
using P2P.Networking.Pubsub.Protos;

namespace P2P.Networking.Pubsub;

/// <summary>Collects what one router step sends to each peer so that each peer gets a single RPC.</summary>
internal sealed class OutboundBatch
{
    private readonly Dictionary<PeerId, RPC> _rpcs = [];

    public RPC For(PeerId peer)
    {
        if (!_rpcs.TryGetValue(peer, out var rpc))
        {
            rpc = new RPC();
            _rpcs[peer] = rpc;
        }
        return rpc;
    }

    public ControlMessage ControlFor(PeerId peer)
    {
        var rpc = For(peer);
        return rpc.Control ??= new ControlMessage();
    }

    public void Flush(IPubsubTransport transport, Func<PeerId, bool> isConnected)
    {
        foreach (var (peer, rpc) in _rpcs)
        {
            if (isConnected(peer))
            {
                transport.Send(peer, rpc);
            }
        }
        _rpcs.Clear();
    }
}
