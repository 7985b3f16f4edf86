namespace P2P.Networking.Yamux;

/// <summary>Yamux limits and timings.</summary>
public sealed class YamuxOptions
{
    /// <summary>The spec's initial per-stream window.</summary>
    public const int InitialWindow = 256 * 1024;

    /// <summary>Receive windows grow up to this on streams whose reader keeps up.</summary>
    public int MaxWindow { get; set; } = 16 * 1024 * 1024;

    /// <summary>Largest Data payload we send in one frame.</summary>
    public int MaxFrameSize { get; set; } = 256 * 1024;

    /// <summary>Open inbound streams beyond this are reset.</summary>
    public int MaxInboundStreams { get; set; } = 1000;

    public int MaxOutboundStreams { get; set; } = 1000;

    /// <summary>Ping interval; <see cref="TimeSpan.Zero"/> disables keep-alive.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A keep-alive ping unanswered for this long closes the session.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
