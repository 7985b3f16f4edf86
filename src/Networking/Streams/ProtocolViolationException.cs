namespace P2P.Networking.Streams;

/// <summary>The remote broke a wire protocol; the connection (or stream) carrying it must be closed.</summary>
public sealed class ProtocolViolationException(string message, Exception? inner = null) : Exception(message, inner);
