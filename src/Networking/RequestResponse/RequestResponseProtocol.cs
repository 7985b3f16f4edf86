using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using P2P.Networking.Core;
using P2P.Networking.Identity;

namespace P2P.Networking.RequestResponse;

/// <summary>
/// An untyped request/response protocol <c>/p2pd/&lt;name&gt;/&lt;version&gt;</c> (bytes in, bytes out), limited by
/// <see cref="RequestResponseOptions.MaxRequestBytes"/> and <see cref="RequestResponseOptions.MaxResponseBytes"/>;
/// the wire and the rules are those of <see cref="RequestResponseProtocol{TRequest, TResponse}"/>.
/// </summary>
public sealed class RequestResponseProtocol
{
    private readonly RequestResponseProtocol<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> _typed;
    private IDisposable? _serving;

    public RequestResponseProtocol(IP2PHost host, string protocolId, RequestResponseOptions? options = null, ILogger? logger = null)
    {
        Options = options ?? new RequestResponseOptions();
        _typed = new(host, new RequestResponseDefinition<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>(
            protocolId, new RawBytesCodec(Options.MaxRequestBytes), new RawBytesCodec(Options.MaxResponseBytes), Options), logger);
    }

    public string ProtocolId => _typed.ProtocolId;

    public RequestResponseOptions Options { get; }

    /// <summary>Serves requests (registers the stream handler).</summary>
    public void Handle(RequestHandler handler) =>
        _serving = _typed.Serve((peer, request, cancellationToken) => handler(peer, request, cancellationToken));

    public void StopHandling() => _serving?.Dispose();

    /// <summary>Sends a request and waits for the response.</summary>
    /// <exception cref="TimeoutException">no complete answer within <see cref="RequestResponseOptions.Timeout"/>.</exception>
    /// <exception cref="RequestRefusedException">the server refused (busy or not serving).</exception>
    /// <exception cref="Streams.ProtocolViolationException">oversized or truncated response.</exception>
    public async Task<byte[]> RequestAsync(PeerId peer, ReadOnlyMemory<byte> request, CancellationToken cancellationToken = default)
    {
        var response = await _typed.RequestAsync(peer, request, cancellationToken).ConfigureAwait(false);
        return MemoryMarshal.TryGetArray(response, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : response.ToArray();
    }
}
