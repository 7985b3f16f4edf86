using P2P.Networking.Identity;

namespace P2P.Networking.RequestResponse;

/// <summary>Answers one request from a peer.</summary>
public delegate Task<ReadOnlyMemory<byte>> RequestHandler(PeerId peer, ReadOnlyMemory<byte> request, CancellationToken cancellationToken);
