using P2P.Networking.Core;
using P2P.Networking.Identity;
using P2P.Networking.RequestResponse;

namespace P2P.Simulation;

/// <summary>
/// <see cref="IRequestResponse{TRequest, TResponse}"/> between simulated peers, with the rules of the libp2p one:
/// codec size limits, the timeout on the simulated clock, inbound concurrency limits with refusals.
/// </summary>
internal sealed class SimulatedRequestResponse<TRequest, TResponse>(SimulatedPeer peer, RequestResponseDefinition<TRequest, TResponse> definition)
    : SimulatedEndpoint<TRequest, TResponse>(peer, definition), IRequestResponse<TRequest, TResponse>
{
    private RequestHandler<TRequest, TResponse>? _handler;

    public IDisposable Serve(RequestHandler<TRequest, TResponse> handler)
    {
        _handler = handler;
        return Register();
    }

    public async Task<TResponse> RequestAsync(PeerId target, TRequest request, CancellationToken cancellationToken = default)
    {
        var encoded = EncodeRequest(request);
        var network = Peer.Network;
        using var deadline = new Deadline(network.Time, Options.Timeout, cancellationToken);
        var answer = new TaskCompletionSource<SimulatedReply>();
        using var registration = deadline.Token.Register(() => answer.TrySetCanceled(deadline.Token));
        network.Send(Peer.Id, target, () => network.Deliver(target, ProtocolId, Peer.Id, encoded, reply => answer.TrySetResult(reply)));
        SimulatedReply reply;
        try
        {
            reply = await answer.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (deadline.Expired && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{ProtocolId}: no answer from {target} within {Options.Timeout}", e);
        }
        return reply switch
        {
            SimulatedReply.Message message => DecodeResponse(message.Bytes),
            _ => throw SimulatedErrors.For(reply, ProtocolId, target),
        };
    }

    protected override async Task ServeOneAsync(SimulatedExchange exchange)
    {
        using var deadline = new Deadline(Peer.Network.Time, Options.Timeout, exchange.Aborted);
        IDisposable? tracked = null;
        try
        {
            var request = DecodeRequest(exchange);
            var handling = _handler!(exchange.Client, request, deadline.Token);
            tracked = Peer.Network.TrackHandler(handling);
            var response = await handling.ConfigureAwait(false);
            exchange.Reply(new SimulatedReply.Message(EncodeResponse(response)));
        }
        catch (Exception e)
        {
            exchange.Reply(new SimulatedReply.Reset(e.Message));
        }
        finally
        {
            tracked?.Dispose();
        }
    }
}
