using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using P2P.Daemon.Configuration;

namespace P2P.Daemon.Gateway.Access;

/// <summary>
/// Bearer keys and per-client limits on <c>/v1/*</c>: ASP.NET Core's rate-limiting middleware with a global limiter
/// that chains a token bucket (request rate) and a concurrency limiter (requests in flight, streams included) per client.
/// </summary>
public static class GatewayAccessExtensions
{
    public static IServiceCollection AddGatewayAccess(this IServiceCollection services, GatewayOptions options, DataDirectory dataDirectory)
    {
        if (options.KeysRequired) services.AddSingleton(GatewayApiKeys.Read(options.ResolveApiKeysFile(dataDirectory)));
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<TimeProvider>((limiter, time) =>
        {
            limiter.GlobalLimiter = CreateLimiter(options, time);
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (rejected, _) => new ValueTask(RejectAsync(rejected.HttpContext, rejected.Lease));
        });
        return services;
    }

    /// <summary>After the daemon's Host check (so refused names cost no tokens) and the key check (so the key is the client).</summary>
    public static WebApplication UseGatewayAccess(this WebApplication app)
    {
        if (app.Services.GetService<GatewayApiKeys>() is not null) app.UseMiddleware<GatewayApiKeyMiddleware>();
        app.UseRateLimiter();
        return app;
    }

    public static PartitionedRateLimiter<HttpContext> CreateLimiter(GatewayOptions options, TimeProvider time)
    {
        var requests = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            !GatewayClient.IsGatewayPath(context.Request) || options.RateLimitRequestsPerMinute == 0
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.Get(GatewayClient.PartitionOf(context), _ => new ClientTokenBucket(options.RateLimitBurst, options.RateLimitRequestsPerMinute / 60.0, time)));
        var concurrent = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            !GatewayClient.IsGatewayPath(context.Request) || options.MaxConcurrentRequestsPerClient == 0
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetConcurrencyLimiter(GatewayClient.PartitionOf(context), _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = options.MaxConcurrentRequestsPerClient,
                    QueueLimit = 0,
                }));
        return PartitionedRateLimiter.CreateChained(requests, concurrent);
    }

    /// <summary>OpenAI's 429 shape; a refusal for concurrency carries no refill time, and one second is a fair hint.</summary>
    private static Task RejectAsync(HttpContext context, RateLimitLease lease)
    {
        var byRate = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
        var seconds = byRate ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var message = byRate
            ? $"Rate limit reached for this client: too many requests (Gateway:RateLimitRequestsPerMinute, Gateway:RateLimitBurst). Please try again in {seconds}s."
            : "Rate limit reached for this client: too many requests in flight at once (Gateway:MaxConcurrentRequestsPerClient). Please try again when one finishes.";
        return new OpenAiError(StatusCodes.Status429TooManyRequests, "rate_limit_error", "rate_limit_exceeded", message).ToResult().ExecuteAsync(context);
    }
}
