using System.Runtime.CompilerServices;
using System.Threading.Channels;
using P2P.Networking.Core;
using P2P.Networking.Identity;
using P2P.Networking.RequestResponse;
using P2P.Networking.Streams;

namespace P2P.Simulation;

/// <summary>
/// <see cref="IStreamingRequestResponse{TRequest, TResponse}"/> between simulated peers: each response travels the
/// link on its own; the first must arrive within the timeout, each next one within the idle timeout.
/// </summary>
internal sealed class SimulatedStreamingRequestResponse<TRequest, TResponse>(SimulatedPeer peer, RequestResponseDefinition<TRequest, TResponse> definition)
    : SimulatedEndpoint<TRequest, TResponse>(peer, definition), IStreamingRequestResponse<TRequest, TResponse>
{
    private StreamingRequestHandler<TRequest, TResponse>? _handler;

    public IDisposable Serve(StreamingRequestHandler<TRequest, TResponse> handler)
    {
        _handler = handler;
        return Register();
    }

    public async IAsyncEnumerable<TResponse> RequestAsync(PeerId target, TRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var encoded = EncodeRequest(request);
        var network = Peer.Network;
        var replies = Channel.CreateUnbounded<SimulatedReply>(new UnboundedChannelOptions { AllowSynchronousContinuations = true });
        SimulatedExchange? exchange = null;
        var started = network.Time.GetTimestamp();
        network.Send(Peer.Id, target, () => exchange = network.Deliver(target, ProtocolId, Peer.Id, encoded, reply => replies.Writer.TryWrite(reply)));
        var completed = false;
        try
        {
            var first = await NextAsync(replies.Reader, target, Options.Timeout, cancellationToken).ConfigureAwait(false);
            if (first is not SimulatedReply.Accepted)
            {
                throw SimulatedErrors.For(first, ProtocolId, target);
            }
            for (var received = 0; ; received++)
            {
                var limit = received == 0 ? Options.Timeout - network.Time.GetElapsedTime(started) : Options.StreamIdleTimeout;
                var next = await NextAsync(replies.Reader, target, limit, cancellationToken).ConfigureAwait(false);
                if (next is SimulatedReply.End)
                {
                    completed = true;
                    yield break;
                }
                if (next is not SimulatedReply.Message message)
                {
                    throw SimulatedErrors.For(next, ProtocolId, target);
                }
                if (received == Options.MaxResponseMessages)
                {
                    throw new ProtocolViolationException($"{ProtocolId}: {target} sent more than {Options.MaxResponseMessages} responses");
                }
                yield return DecodeResponse(message.Bytes);
            }
        }
        finally
        {
            if (!completed)
            {
                network.Send(Peer.Id, target, () => exchange?.Abort()); // our reset travels to the server too
            }
        }
    }

    private async Task<SimulatedReply> NextAsync(ChannelReader<SimulatedReply> replies, PeerId target, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var deadline = new Deadline(Peer.Network.Time, limit > TimeSpan.Zero ? limit : TimeSpan.Zero, cancellationToken);
        try
        {
            return await replies.ReadAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (deadline.Expired && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{ProtocolId}: {target} sent no response within {limit}", e);
        }
    }

    protected override async Task ServeOneAsync(SimulatedExchange exchange)
    {
        try
        {
            var request = DecodeRequest(exchange);
            exchange.Reply(new SimulatedReply.Accepted());
            var sent = 0;
            await foreach (var response in _handler!(exchange.Client, request, exchange.Aborted).WithCancellation(exchange.Aborted).ConfigureAwait(false))
            {
                if (++sent > Options.MaxResponseMessages)
                {
                    throw new InvalidOperationException($"{ProtocolId}: handler produced more than {Options.MaxResponseMessages} responses");
                }
                exchange.Reply(new SimulatedReply.Message(EncodeResponse(response)));
            }
            exchange.Reply(new SimulatedReply.End());
        }
        catch (OperationCanceledException) when (exchange.Aborted.IsCancellationRequested)
        {
            // the client went away; nothing to answer
        }
        catch (Exception e)
        {
            exchange.Reply(new SimulatedReply.Reset(e.Message));
        }
    }
}
