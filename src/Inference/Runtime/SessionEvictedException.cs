namespace P2P.Inference.Runtime;

/// <summary>The session's KV cache was evicted to stay within the memory budget; replay its inputs in a new session.</summary>
public sealed class SessionEvictedException(long sessionId) : Exception($"session {sessionId} was evicted from the KV cache; replay its inputs")
{
    public long SessionId { get; } = sessionId;
}
