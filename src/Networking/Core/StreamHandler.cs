namespace P2P.Networking.Core;

/// <summary>Serves one inbound stream of a registered protocol; the host disposes the stream when it returns.</summary>
public delegate Task StreamHandler(IStream stream, CancellationToken cancellationToken);
