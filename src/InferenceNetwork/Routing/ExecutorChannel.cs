using P2P.InferenceNetwork.Protocol;
using P2P.Networking.Identity;
using P2P.Networking.RequestResponse;

namespace P2P.InferenceNetwork.Routing;

/// <summary>Sends <c>/p2pd/infer/1</c> requests: to a peer over the network, or straight to this node's own executor.</summary>
public sealed class ExecutorChannel(IStreamingRequestResponse<InferRequest, InferResponse> protocol, PeerId localPeer, InferExecutor? localExecutor)
{
    public PeerId LocalPeer { get; } = localPeer;

    public IAsyncEnumerable<InferResponse> SendAsync(string peer, InferRequest request, CancellationToken cancellationToken)
    {
        var target = PeerId.Parse(peer);
        return target == LocalPeer && localExecutor is not null
            ? localExecutor.HandleAsync(target, request, cancellationToken)
            : protocol.RequestAsync(target, request, cancellationToken);
    }
}
