using P2P.Networking.Metrics;
using P2P.Networking.RequestResponse;

namespace P2P.Simulation;

/// <summary>
/// What the simulated one-answer and streaming protocols share, with the rules of the libp2p ones: inbound
/// concurrency limits (a refusal travels back as <see cref="SimulatedReply.Refused"/>), the codecs' size limits.
/// </summary>
internal abstract class SimulatedEndpoint<TRequest, TResponse>(SimulatedPeer peer, RequestResponseDefinition<TRequest, TResponse> definition) : ISimulatedServer
{
    private readonly InboundLimiter _limiter = new(definition.Options.MaxConcurrent, definition.Options.MaxConcurrentPerPeer);

    public string ProtocolId => definition.ProtocolId;

    protected RequestResponseOptions Options => definition.Options;

    protected SimulatedPeer Peer => peer;

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
            await ServeOneAsync(exchange).ConfigureAwait(false);
        }
    }

    /// <summary>Serves one admitted exchange; it must reply to it, failures included.</summary>
    protected abstract Task ServeOneAsync(SimulatedExchange exchange);

    protected IDisposable Register() => peer.Register(ProtocolId, this);

    protected byte[] EncodeRequest(TRequest request) => MessageCodecs.EncodeOutgoing(definition.Requests, request, ProtocolId, "request").ToArray();

    protected TResponse DecodeResponse(byte[] bytes) => MessageCodecs.DecodeIncoming(definition.Responses, bytes, ProtocolId, "response");

    protected TRequest DecodeRequest(SimulatedExchange exchange)
    {
        var request = MessageCodecs.DecodeIncoming(definition.Requests, exchange.Request, ProtocolId, "request");
        NetworkingMetrics.RequestServed(ProtocolId);
        return request;
    }

    protected byte[] EncodeResponse(TResponse response)
    {
        var encoded = definition.Responses.Encode(response);
        if (encoded.Length > definition.Responses.MaxBytes)
        {
            throw new InvalidOperationException($"{ProtocolId}: response of {encoded.Length} bytes exceeds {definition.Responses.MaxBytes}");
        }
        return encoded.ToArray();
    }
}
