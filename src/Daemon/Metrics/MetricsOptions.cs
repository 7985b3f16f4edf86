using P2P.Daemon.Configuration;

namespace P2P.Daemon.Metrics;

/// <summary>The Prometheus endpoint (section <c>Metrics</c>).</summary>
public sealed class MetricsOptions : IValidatableOptions
{
    /// <summary>Serve <c>GET /metrics</c> on the API port (unauthenticated, like <c>/healthz</c>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long one rendering of the scrape is reused, so that a flood of scrapes costs one collection.</summary>
    public int ScrapeCacheMilliseconds { get; set; } = 300;

    public IEnumerable<ConfigurationProblem> Validate(DataDirectory dataDirectory)
    {
        if (ScrapeCacheMilliseconds is < 0 or > 60_000) yield return new("ScrapeCacheMilliseconds", $"{ScrapeCacheMilliseconds} is out of range (0-60000)");
    }
}
