using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace P2P.Daemon.Metrics;

/// <summary>
/// Exports every <see cref="System.Diagnostics.Metrics"/> meter the node uses in the Prometheus text format at
/// <c>/metrics</c>, through OpenTelemetry's exporter (docs/operations.md "Metrics" says why that one).
/// </summary>
public static class DaemonMetricsExtensions
{
    public const string Path = "/metrics";

    /// <summary>The .NET runtime's own meter (GC, JIT, thread pool, exceptions), built into .NET 9 and later.</summary>
    public const string RuntimeMeter = "System.Runtime";

    /// <summary>ASP.NET Core's HTTP server meter (request duration by route and status).</summary>
    public const string HttpServerMeter = "Microsoft.AspNetCore.Hosting";

    public static IServiceCollection AddDaemonMetrics(this IServiceCollection services, MetricsOptions options, IEnumerable<string> meters)
    {
        if (!options.Enabled) return services;
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter([.. meters, RuntimeMeter, HttpServerMeter])
            .AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = options.ScrapeCacheMilliseconds));
        return services;
    }

    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder endpoints, MetricsOptions options)
    {
        if (options.Enabled) endpoints.MapPrometheusScrapingEndpoint(Path);
        return endpoints;
    }
}
