using P2P.Networking.Identity;

namespace P2P.Networking.RequestResponse;

/// <summary>
/// One request/response protocol as a protocol programs against it: send a request to a peer and await the
/// answer, or serve requests. Implemented over libp2p streams (<see cref="RequestResponseProtocol{TRequest, TResponse}"/>)
/// and by the simulated network in tests.
/// </summary>
public interface IRequestResponse<TRequest, TResponse>
{
    string ProtocolId { get; }

    /// <summary>Sends a request and waits for the response.</summary>
    /// <exception cref="TimeoutException">no complete answer within the protocol's timeout.</exception>
    /// <exception cref="RequestRefusedException">the server refused (busy or not serving).</exception>
    /// <exception cref="Streams.ProtocolViolationException">an oversized, truncated or undecodable response.</exception>
    Task<TResponse> RequestAsync(PeerId peer, TRequest request, CancellationToken cancellationToken = default);

    /// <summary>Starts serving requests with <paramref name="handler"/>; disposing the result stops serving.</summary>
    IDisposable Serve(RequestHandler<TRequest, TResponse> handler);
}
