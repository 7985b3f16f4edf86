using P2P.Networking.Identity;

namespace P2P.Networking.RequestResponse;

/// <summary>
/// A request answered by a bounded stream of response messages (token streams, chunked sync). The client reads
/// them as they come; breaking out of the enumeration aborts the exchange.
/// </summary>
public interface IStreamingRequestResponse<TRequest, TResponse>
{
    string ProtocolId { get; }

    /// <summary>Sends a request and yields the responses until the server ends the stream.</summary>
    /// <exception cref="TimeoutException">no first response within the timeout, or a gap longer than the idle timeout.</exception>
    /// <exception cref="RequestRefusedException">the server refused (busy or not serving).</exception>
    /// <exception cref="Streams.ProtocolViolationException">more than the allowed number of responses, or a bad one.</exception>
    IAsyncEnumerable<TResponse> RequestAsync(PeerId peer, TRequest request, CancellationToken cancellationToken = default);

    /// <summary>Starts serving requests with <paramref name="handler"/>; disposing the result stops serving.</summary>
    IDisposable Serve(StreamingRequestHandler<TRequest, TResponse> handler);
}
