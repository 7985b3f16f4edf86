namespace P2P.Networking.RequestResponse;

/// <summary>Limits of one request/response protocol.</summary>
public sealed record RequestResponseOptions
{
    /// <summary>Request size limit of the untyped <see cref="RequestResponseProtocol"/>; typed protocols take theirs from their codecs.</summary>
    public int MaxRequestBytes { get; init; } = 64 * 1024;

    /// <summary>Response size limit of the untyped <see cref="RequestResponseProtocol"/>; typed protocols take theirs from their codecs.</summary>
    public int MaxResponseBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Whole exchange: open, send, wait for the answer (both sides). For a streaming protocol: until the first response.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Streaming only: the longest gap between two responses.</summary>
    public TimeSpan StreamIdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Streaming only: the most responses to one request; more is a protocol violation.</summary>
    public int MaxResponseMessages { get; init; } = 4096;

    /// <summary>Requests from one peer served at once; more are refused at once.</summary>
    public int MaxConcurrentPerPeer { get; init; } = 8;

    /// <summary>Requests from all peers served at once on this protocol; more are refused at once.</summary>
    public int MaxConcurrent { get; init; } = 64;
}
