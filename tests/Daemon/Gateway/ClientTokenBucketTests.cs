using System.Threading.RateLimiting;
using Microsoft.Extensions.Time.Testing;
using P2P.Daemon.Gateway.Access;

namespace P2P.Daemon.Tests.Gateway;

/// <summary>The per-client token bucket on a fake clock: a burst, refusals with a refill time, continuous refill.</summary>
public sealed class ClientTokenBucketTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Bucket_GrantsTheBurstThenRefusesWithTheTimeToTheNextToken()
    {
        using var bucket = new ClientTokenBucket(capacity: 3, tokensPerSecond: 0.5, _time);
        for (var i = 0; i < 3; i++) Assert.True(bucket.AttemptAcquire().IsAcquired);

        using var refused = bucket.AttemptAcquire();
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(2), retryAfter);
    }

    [Fact]
    public void Bucket_RefillsWithTimeUpToItsCapacity()
    {
        using var bucket = new ClientTokenBucket(capacity: 2, tokensPerSecond: 1, _time);
        Assert.True(bucket.AttemptAcquire(2).IsAcquired);
        Assert.False(bucket.AttemptAcquire().IsAcquired);

        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(bucket.AttemptAcquire().IsAcquired);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(bucket.AttemptAcquire().IsAcquired);

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(2, bucket.GetStatistics()!.CurrentAvailablePermits);
        Assert.True(bucket.AttemptAcquire(2).IsAcquired);
        Assert.False(bucket.AttemptAcquire().IsAcquired);
    }

    [Fact]
    public void IdleDuration_CountsFromWhenTheBucketIsFullAgain()
    {
        using var bucket = new ClientTokenBucket(capacity: 4, tokensPerSecond: 2, _time);
        Assert.Equal(TimeSpan.Zero, bucket.IdleDuration);
        Assert.True(bucket.AttemptAcquire(4).IsAcquired);
        Assert.Null(bucket.IdleDuration);

        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Null(bucket.IdleDuration);
        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(TimeSpan.FromSeconds(1), bucket.IdleDuration);
    }
}
