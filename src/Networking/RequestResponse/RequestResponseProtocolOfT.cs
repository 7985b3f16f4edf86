using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P2P.Networking.Core;
using P2P.Networking.Identity;
using P2P.Networking.Metrics;
using P2P.Networking.Streams;

namespace P2P.Networking.RequestResponse;

/// <summary>
/// A typed request/response protocol over libp2p streams: one stream per exchange, the request and the response
/// each one uvarint-length-prefixed message followed by a half-close. A server over its concurrency limits
/// half-closes without answering, which the client reports as <see cref="RequestRefusedException"/>.
/// </summary>
public sealed class RequestResponseProtocol<TRequest, TResponse> : IRequestResponse<TRequest, TResponse>
{
    private readonly IP2PHost _host;
    private readonly RequestResponseDefinition<TRequest, TResponse> _definition;
    private readonly InboundLimiter _limiter;
    private readonly ILogger _log;

    public RequestResponseProtocol(IP2PHost host, RequestResponseDefinition<TRequest, TResponse> definition, ILogger? logger = null)
    {
        _host = host;
        _definition = definition;
        _limiter = new InboundLimiter(definition.Options.MaxConcurrent, definition.Options.MaxConcurrentPerPeer);
        _log = logger ?? NullLogger.Instance;
    }

    public string ProtocolId => _definition.ProtocolId;

    public RequestResponseOptions Options => _definition.Options;

    /// <summary>Requests being served now.</summary>
    public int ActiveInbound => _limiter.Active;

    public IDisposable Serve(RequestHandler<TRequest, TResponse> handler)
    {
        _host.SetStreamHandler(ProtocolId, (stream, cancellationToken) => ServeOneAsync(stream, handler, cancellationToken));
        return new StreamHandlerRegistration(_host, ProtocolId);
    }

    private async Task ServeOneAsync(IStream stream, RequestHandler<TRequest, TResponse> handler, CancellationToken cancellationToken)
    {
        using var slot = _limiter.TryEnter(stream.RemotePeer, out var refusal);
        if (slot is null)
        {
            _log.LogDebug("{Protocol}: refused a request from {Peer}: {Reason}", ProtocolId, stream.RemotePeer, refusal);
            NetworkingMetrics.RequestRefused(ProtocolId);
            await stream.CloseWriteAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        using var deadline = new Deadline(_host.Time, Options.Timeout, cancellationToken);
        var bytes = await LengthPrefixed.ReadAsync(stream.Input, _definition.Requests.MaxBytes, deadline.Token).ConfigureAwait(false)
            ?? throw new ProtocolViolationException($"{ProtocolId}: stream closed before the request");
        var request = MessageCodecs.DecodeIncoming(_definition.Requests, bytes, ProtocolId, "request");
        NetworkingMetrics.RequestServed(ProtocolId);
        var response = await handler(stream.RemotePeer, request, deadline.Token).ConfigureAwait(false);
        var encoded = _definition.Responses.Encode(response);
        if (encoded.Length > _definition.Responses.MaxBytes)
        {
            throw new InvalidOperationException($"{ProtocolId}: response of {encoded.Length} bytes exceeds {_definition.Responses.MaxBytes}");
        }
        await LengthPrefixed.WriteAsync(stream.Output, encoded, deadline.Token).ConfigureAwait(false);
        await stream.CloseWriteAsync(deadline.Token).ConfigureAwait(false);
    }

    public async Task<TResponse> RequestAsync(PeerId peer, TRequest request, CancellationToken cancellationToken = default)
    {
        var encoded = MessageCodecs.EncodeOutgoing(_definition.Requests, request, ProtocolId, "request");
        using var deadline = new Deadline(_host.Time, Options.Timeout, cancellationToken);
        try
        {
            await using var stream = await _host.OpenStreamAsync(peer, [ProtocolId], deadline.Token).ConfigureAwait(false);
            await LengthPrefixed.WriteAsync(stream.Output, encoded, deadline.Token).ConfigureAwait(false);
            await stream.CloseWriteAsync(deadline.Token).ConfigureAwait(false);
            var bytes = await LengthPrefixed.ReadAsync(stream.Input, _definition.Responses.MaxBytes, deadline.Token).ConfigureAwait(false)
                ?? throw new RequestRefusedException($"{ProtocolId}: {peer} closed the stream without answering (busy or not serving)");
            return MessageCodecs.DecodeIncoming(_definition.Responses, bytes, ProtocolId, "response");
        }
        catch (OperationCanceledException e) when (deadline.Expired && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{ProtocolId}: no answer from {peer} within {Options.Timeout}", e);
        }
    }
}
