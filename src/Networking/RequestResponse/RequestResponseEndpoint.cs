using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P2P.Networking.Core;
using P2P.Networking.Metrics;
using P2P.Networking.Streams;

namespace P2P.Networking.RequestResponse;

/// <summary>
/// What the one-answer and the streaming protocols share: the definition, the inbound limits (an inbound stream over
/// them is half-closed unanswered), reading and decoding a request, and the size checks on what is sent.
/// </summary>
public abstract class RequestResponseEndpoint<TRequest, TResponse>
{
    private readonly InboundLimiter _limiter;
    private readonly ILogger _log;

    private protected RequestResponseEndpoint(IP2PHost host, RequestResponseDefinition<TRequest, TResponse> definition, ILogger? logger)
    {
        Host = host;
        Definition = definition;
        _limiter = new InboundLimiter(definition.Options.MaxConcurrent, definition.Options.MaxConcurrentPerPeer);
        _log = logger ?? NullLogger.Instance;
    }

    public string ProtocolId => Definition.ProtocolId;

    public RequestResponseOptions Options => Definition.Options;

    /// <summary>Requests being served now.</summary>
    public int ActiveInbound => _limiter.Active;

    private protected IP2PHost Host { get; }

    private protected RequestResponseDefinition<TRequest, TResponse> Definition { get; }

    /// <summary>
    /// Registers the stream handler (dispose to stop serving): <paramref name="serveOne"/> runs for each admitted
    /// request with the deadline (<see cref="RequestResponseOptions.Timeout"/>) that bounded reading it.
    /// </summary>
    private protected IDisposable Register(Func<IStream, TRequest, Deadline, CancellationToken, Task> serveOne)
    {
        Host.SetStreamHandler(ProtocolId, async (stream, cancellationToken) =>
        {
            using var slot = _limiter.TryEnter(stream.RemotePeer, out var refusal);
            if (slot is null)
            {
                _log.LogDebug("{Protocol}: refused a request from {Peer}: {Reason}", ProtocolId, stream.RemotePeer, refusal);
                NetworkingMetrics.RequestRefused(ProtocolId);
                await stream.CloseWriteAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            using var deadline = new Deadline(Host.Time, Options.Timeout, cancellationToken);
            var bytes = await LengthPrefixed.ReadAsync(stream.Input, Definition.Requests.MaxBytes, deadline.Token).ConfigureAwait(false)
                ?? throw new ProtocolViolationException($"{ProtocolId}: stream closed before the request");
            var request = MessageCodecs.DecodeIncoming(Definition.Requests, bytes, ProtocolId, "request");
            NetworkingMetrics.RequestServed(ProtocolId);
            await serveOne(stream, request, deadline, cancellationToken).ConfigureAwait(false);
        });
        return new StreamHandlerRegistration(Host, ProtocolId);
    }

    private protected ReadOnlyMemory<byte> EncodeRequest(TRequest request) => MessageCodecs.EncodeOutgoing(Definition.Requests, request, ProtocolId, "request");

    private protected TResponse DecodeResponse(ReadOnlyMemory<byte> bytes) => MessageCodecs.DecodeIncoming(Definition.Responses, bytes, ProtocolId, "response");

    /// <summary>Encodes a response of our own handler; one over the limit is a bug on this side, not the peer's.</summary>
    private protected ReadOnlyMemory<byte> EncodeResponse(TResponse response)
    {
        var encoded = Definition.Responses.Encode(response);
        if (encoded.Length > Definition.Responses.MaxBytes)
        {
            throw new InvalidOperationException($"{ProtocolId}: response of {encoded.Length} bytes exceeds {Definition.Responses.MaxBytes}");
        }
        return encoded;
    }
}
