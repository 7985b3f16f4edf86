using System.Text.RegularExpressions;
using P2P.Networking.Core;
using P2P.Networking.Identity;
using P2P.Networking.Streams;

namespace P2P.Networking.RequestResponse;

/// <summary>
/// A request/response protocol <c>/p2pd/&lt;name&gt;/&lt;version&gt;</c>: one stream per exchange, the request
/// and the response each one uvarint-length-prefixed message followed by a half-close.
/// </summary>
public sealed partial class RequestResponseProtocol
{
    private readonly IP2PHost _host;

    public RequestResponseProtocol(IP2PHost host, string protocolId, RequestResponseOptions? options = null)
    {
        if (!ProtocolIdPattern().IsMatch(protocolId))
        {
            throw new ArgumentException($"protocol id '{protocolId}' is not /p2pd/<name>/<version>", nameof(protocolId));
        }
        _host = host;
        ProtocolId = protocolId;
        Options = options ?? new RequestResponseOptions();
    }

    public string ProtocolId { get; }

    public RequestResponseOptions Options { get; }

    /// <summary>Serves requests (registers the stream handler).</summary>
    public void Handle(RequestHandler handler)
    {
        _host.SetStreamHandler(ProtocolId, async (stream, cancellationToken) =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Options.Timeout);
            var request = await LengthPrefixed.ReadAsync(stream.Input, Options.MaxRequestBytes, timeout.Token).ConfigureAwait(false)
                ?? throw new ProtocolViolationException($"{ProtocolId}: stream closed before the request");
            var response = await handler(stream.RemotePeer, request, timeout.Token).ConfigureAwait(false);
            if (response.Length > Options.MaxResponseBytes)
            {
                throw new InvalidOperationException($"{ProtocolId}: response of {response.Length} bytes exceeds {Options.MaxResponseBytes}");
            }
            await LengthPrefixed.WriteAsync(stream.Output, response, timeout.Token).ConfigureAwait(false);
            await stream.CloseWriteAsync(timeout.Token).ConfigureAwait(false);
        });
    }

    public void StopHandling() => _host.RemoveStreamHandler(ProtocolId);

    /// <summary>Sends a request and waits for the response.</summary>
    /// <exception cref="TimeoutException">no complete answer within <see cref="RequestResponseOptions.Timeout"/>.</exception>
    /// <exception cref="ProtocolViolationException">oversized or truncated response.</exception>
    public async Task<byte[]> RequestAsync(PeerId peer, ReadOnlyMemory<byte> request, CancellationToken cancellationToken = default)
    {
        if (request.Length > Options.MaxRequestBytes)
        {
            throw new ArgumentException($"{ProtocolId}: request of {request.Length} bytes exceeds {Options.MaxRequestBytes}");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.Timeout);
        try
        {
            await using var stream = await _host.OpenStreamAsync(peer, [ProtocolId], timeout.Token).ConfigureAwait(false);
            await LengthPrefixed.WriteAsync(stream.Output, request, timeout.Token).ConfigureAwait(false);
            await stream.CloseWriteAsync(timeout.Token).ConfigureAwait(false);
            return await LengthPrefixed.ReadAsync(stream.Input, Options.MaxResponseBytes, timeout.Token).ConfigureAwait(false)
                ?? throw new ProtocolViolationException($"{ProtocolId}: {peer} closed the stream without answering");
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{ProtocolId}: no answer from {peer} within {Options.Timeout}", e);
        }
    }

    [GeneratedRegex(@"^/p2pd/[a-z0-9][a-z0-9-]*/[0-9A-Za-z.\-]+$")]
    private static partial Regex ProtocolIdPattern();
}
