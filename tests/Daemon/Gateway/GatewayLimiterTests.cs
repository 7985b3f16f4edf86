using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using P2P.Daemon.Gateway.Access;

namespace P2P.Daemon.Tests.Gateway;

/// <summary>The gateway's global limiter: per-client partitions, the concurrency limit, and nothing outside <c>/v1</c>.</summary>
public sealed class GatewayLimiterTests
{
    private readonly FakeTimeProvider _time = new();

    private static DefaultHttpContext Request(string path, string address = "127.0.0.1", int? key = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        if (key is { } index) GatewayClient.SetKey(context, index);
        return context;
    }

    [Fact]
    public void RequestRate_IsCountedPerClient()
    {
        using var limiter = GatewayAccessExtensions.CreateLimiter(new GatewayOptions { RateLimitRequestsPerMinute = 60, RateLimitBurst = 2 }, _time);

        Assert.True(limiter.AttemptAcquire(Request("/v1/models", key: 0)).IsAcquired);
        Assert.True(limiter.AttemptAcquire(Request("/v1/chat/completions", key: 0)).IsAcquired);
        using var refused = limiter.AttemptAcquire(Request("/v1/models", key: 0));
        Assert.False(refused.IsAcquired);
        // The chained limiter passes the bucket's refill time through: it becomes the 429's Retry-After.
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(1), retryAfter);

        Assert.True(limiter.AttemptAcquire(Request("/v1/models", key: 1)).IsAcquired);
        Assert.True(limiter.AttemptAcquire(Request("/v1/models", address: "10.0.0.7")).IsAcquired);
        for (var i = 0; i < 10; i++) Assert.True(limiter.AttemptAcquire(Request("/api/v1/status", key: 0)).IsAcquired);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.AttemptAcquire(Request("/v1/models", key: 0)).IsAcquired);
    }

    [Fact]
    public void Concurrency_HeldLeasesCountUntilDisposed()
    {
        using var limiter = GatewayAccessExtensions.CreateLimiter(new GatewayOptions { RateLimitRequestsPerMinute = 0, MaxConcurrentRequestsPerClient = 2 }, _time);

        var first = limiter.AttemptAcquire(Request("/v1/chat/completions"));
        using var second = limiter.AttemptAcquire(Request("/v1/chat/completions"));
        Assert.True(first.IsAcquired && second.IsAcquired);
        using (var third = limiter.AttemptAcquire(Request("/v1/chat/completions"))) Assert.False(third.IsAcquired);
        using (var other = limiter.AttemptAcquire(Request("/v1/chat/completions", address: "::1"))) Assert.True(other.IsAcquired);

        first.Dispose();
        using var again = limiter.AttemptAcquire(Request("/v1/chat/completions"));
        Assert.True(again.IsAcquired);
    }
}
