using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

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

    /// <summary>
    /// Runtime gauges whose OpenTelemetry names end in <c>.count</c>: in Prometheus a <c>_count</c> suffix belongs to
    /// histograms and summaries (promtool refuses it elsewhere), so they are exported under these names.
    /// </summary>
    public static IReadOnlyDictionary<string, string> RenamedRuntimeInstruments { get; } = new Dictionary<string, string>
    {
        ["dotnet.assembly.count"] = "dotnet.assemblies.loaded",
        ["dotnet.process.cpu.count"] = "dotnet.process.cpus",
        ["dotnet.timer.count"] = "dotnet.timers",
    };

    public static IServiceCollection AddDaemonMetrics(this IServiceCollection services, MetricsOptions options, IEnumerable<string> meters, string version)
    {
        if (!options.Enabled) return services;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("p2pd", serviceVersion: version))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([.. meters, RuntimeMeter, HttpServerMeter]);
                foreach (var (instrument, name) in RenamedRuntimeInstruments) metrics.AddView(instrument, name);
                metrics.AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = options.ScrapeCacheMilliseconds);
            });
        return services;
    }

    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder endpoints, MetricsOptions options)
    {
        if (options.Enabled) endpoints.MapPrometheusScrapingEndpoint(Path);
        return endpoints;
    }
}
