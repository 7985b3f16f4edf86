using Microsoft.Extensions.Logging;
using P2P.Networking.Core;
using P2P.Networking.Identity;
using P2P.Networking.Streams;

namespace P2P.Networking.RequestResponse;

/// <summary>
/// A typed request/response protocol over libp2p streams: one stream per exchange, the request and the response
/// each one uvarint-length-prefixed message followed by a half-close. A server over its concurrency limits
/// half-closes without answering, which the client reports as <see cref="RequestRefusedException"/>.
/// </summary>
public sealed class RequestResponseProtocol<TRequest, TResponse>(IP2PHost host, RequestResponseDefinition<TRequest, TResponse> definition, ILogger? logger = null)
    : RequestResponseEndpoint<TRequest, TResponse>(host, definition, logger), IRequestResponse<TRequest, TResponse>
{
    public IDisposable Serve(RequestHandler<TRequest, TResponse> handler) =>
        Register(async (stream, request, deadline, _) =>
        {
            // One deadline for the whole exchange: reading the request, the handler and the answer.
            var response = await handler(stream.RemotePeer, request, deadline.Token).ConfigureAwait(false);
            await LengthPrefixed.WriteAsync(stream.Output, EncodeResponse(response), deadline.Token).ConfigureAwait(false);
            await stream.CloseWriteAsync(deadline.Token).ConfigureAwait(false);
        });

    public async Task<TResponse> RequestAsync(PeerId peer, TRequest request, CancellationToken cancellationToken = default)
    {
        var encoded = EncodeRequest(request);
        using var deadline = new Deadline(Host.Time, Options.Timeout, cancellationToken);
        try
        {
            await using var stream = await Host.OpenStreamAsync(peer, [ProtocolId], deadline.Token).ConfigureAwait(false);
            await LengthPrefixed.WriteAsync(stream.Output, encoded, deadline.Token).ConfigureAwait(false);
            await stream.CloseWriteAsync(deadline.Token).ConfigureAwait(false);
            var bytes = await LengthPrefixed.ReadAsync(stream.Input, Definition.Responses.MaxBytes, deadline.Token).ConfigureAwait(false)
                ?? throw new RequestRefusedException($"{ProtocolId}: {peer} closed the stream without answering (busy or not serving)");
            return DecodeResponse(bytes);
        }
        catch (OperationCanceledException e) when (deadline.Expired && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{ProtocolId}: no answer from {peer} within {Options.Timeout}", e);
        }
    }
}
