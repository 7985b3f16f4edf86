namespace P2P.Networking.Noise;

/// <summary>The Noise handshake failed: bad signature, wrong peer, malformed or truncated message.</summary>
public sealed class NoiseHandshakeException(string message, Exception? inner = null) : Exception(message, inner);
