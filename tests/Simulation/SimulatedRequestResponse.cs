using P2P.Networking.Core;
using P2P.Networking.Identity;
using P2P.Networking.Metrics;
using P2P.Networking.RequestResponse;

namespace P2P.Simulation;

/// <summary>
/// <see cref="IRequestResponse{TRequest, TResponse}"/> between simulated peers, with the rules of the libp2p one:
/// codec size limits, the timeout on the simulated clock, inbound concurrency limits with refusals.
/// </summary>
internal sealed class SimulatedRequestResponse<TRequest, TResponse>(SimulatedPeer peer, RequestResponseDefinition<TRequest, TResponse> definition)
    : IRequestResponse<TRequest, TResponse>, ISimulatedServer
{
    private readonly InboundLimiter _limiter = new(definition.Options.MaxConcurrent, definition.Options.MaxConcurrentPerPeer);
    private RequestHandler<TRequest, TResponse>? _handler;

    public string ProtocolId => definition.ProtocolId;

    private RequestResponseOptions Options => definition.Options;

    public IDisposable Serve(RequestHandler<TRequest, TResponse> handler)
    {
        _handler = handler;
        return peer.Register(ProtocolId, this);
    }

    public async Task<TResponse> RequestAsync(PeerId target, TRequest request, CancellationToken cancellationToken = default)
    {
        var encoded = MessageCodecs.EncodeOutgoing(definition.Requests, request, ProtocolId, "request").ToArray();
        var network = peer.Network;
        using var deadline = new Deadline(network.Time, Options.Timeout, cancellationToken);
        var answer = new TaskCompletionSource<SimulatedReply>();
        using var registration = deadline.Token.Register(() => answer.TrySetCanceled(deadline.Token));
        network.Send(peer.Id, target, () => network.Deliver(target, ProtocolId, peer.Id, encoded, reply => answer.TrySetResult(reply)));
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
            SimulatedReply.Message message => MessageCodecs.DecodeIncoming(definition.Responses, message.Bytes, ProtocolId, "response"),
            _ => throw SimulatedErrors.For(reply, ProtocolId, target),
        };
    }

    public void Receive(SimulatedExchange exchange)
    {
        var slot = _limiter.TryEnter(exchange.Client, out _);
        if (slot is null)
        {
            NetworkingMetrics.RequestRefused(ProtocolId);
            exchange.Reply(new SimulatedReply.Refused());
            return;
        }
        _ = ServeAsync(exchange, slot);
    }

    private async Task ServeAsync(SimulatedExchange exchange, IDisposable slot)
    {
        using (slot)
        {
            using var deadline = new Deadline(peer.Network.Time, Options.Timeout, exchange.Aborted);
            IDisposable? tracked = null;
            try
            {
                var request = MessageCodecs.DecodeIncoming(definition.Requests, exchange.Request, ProtocolId, "request");
                NetworkingMetrics.RequestServed(ProtocolId);
                var handling = _handler!(exchange.Client, request, deadline.Token);
                tracked = peer.Network.TrackHandler(handling);
                var response = await handling.ConfigureAwait(false);
                var encoded = definition.Responses.Encode(response);
                if (encoded.Length > definition.Responses.MaxBytes)
                {
                    throw new InvalidOperationException($"{ProtocolId}: response of {encoded.Length} bytes exceeds {definition.Responses.MaxBytes}");
                }
                exchange.Reply(new SimulatedReply.Message(encoded.ToArray()));
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
}
