namespace P2P.Networking.RequestResponse;

/// <summary>The server closed the exchange before answering: it is busy (over its concurrency limits) or not serving.</summary>
public sealed class RequestRefusedException(string message) : IOException(message);
