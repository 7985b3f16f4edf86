namespace P2P.Bench.Soak;

/// <summary>How one inference request through a gateway ended.</summary>
public enum RequestOutcome
{
    /// <summary>A whole answer: a finish reason (and for a stream, <c>[DONE]</c>).</summary>
    Complete,

    /// <summary>An OpenAI-style JSON error (HTTP status or an error event in the stream).</summary>
    CleanError,

    /// <summary>The connection failed or broke while the chaos loop had that gateway down: expected, counted apart.</summary>
    GatewayDown,

    /// <summary>Anything else: a truncated answer, a body that is not JSON, no answer in time. The soak fails on any.</summary>
    Unclean,
}
