namespace P2P.Networking.RequestResponse;

/// <summary>Limits of one request/response protocol.</summary>
public sealed record RequestResponseOptions
{
    public int MaxRequestBytes { get; init; } = 64 * 1024;

    public int MaxResponseBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Whole exchange: open, send, wait for the answer (both sides).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
