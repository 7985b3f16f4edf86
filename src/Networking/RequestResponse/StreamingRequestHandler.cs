using P2P.Networking.Identity;

namespace P2P.Networking.RequestResponse;

/// <summary>Answers one typed request from a peer with a stream of responses.</summary>
public delegate IAsyncEnumerable<TResponse> StreamingRequestHandler<TRequest, TResponse>(PeerId peer, TRequest request, CancellationToken cancellationToken);
