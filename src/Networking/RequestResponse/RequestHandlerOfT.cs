using P2P.Networking.Identity;

namespace P2P.Networking.RequestResponse;

/// <summary>Answers one typed request from a peer.</summary>
public delegate Task<TResponse> RequestHandler<TRequest, TResponse>(PeerId peer, TRequest request, CancellationToken cancellationToken);
