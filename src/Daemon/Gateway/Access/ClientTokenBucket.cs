using System.Threading.RateLimiting;

namespace P2P.Daemon.Gateway.Access;

/// <summary>
/// A token bucket that refills continuously on an injected <see cref="TimeProvider"/> and never queues. The runtime's
/// <see cref="TokenBucketRateLimiter"/> replenishes on its own timer and reads the system clock, so it cannot be
/// tested on a fake clock; this one plugs into the same <see cref="PartitionedRateLimiter"/> and ASP.NET Core middleware.
/// </summary>
public sealed class ClientTokenBucket : RateLimiter
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly double _capacity;
    private readonly double _tokensPerSecond;
    private double _tokens;
    private long _updated;
    private long _fullAt;

    public ClientTokenBucket(int capacity, double tokensPerSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokensPerSecond);
        _time = time;
        _capacity = capacity;
        _tokensPerSecond = tokensPerSecond;
        _tokens = capacity;
        _updated = time.GetTimestamp();
        _fullAt = _updated;
    }

    /// <summary>A full bucket is idle; the partitioned limiter drops idle buckets so that one-off clients do not accumulate.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            var now = _time.GetTimestamp();
            lock (_lock) return now >= _fullAt ? _time.GetElapsedTime(_fullAt, now) : null;
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Refill();
            return new RateLimiterStatistics { CurrentAvailablePermits = (long)_tokens };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_lock)
        {
            Refill();
            if (_tokens >= permitCount)
            {
                _tokens -= permitCount;
                _fullAt = _updated + (long)((_capacity - _tokens) / _tokensPerSecond * _time.TimestampFrequency);
                return TokenBucketLease.Granted;
            }
            var wait = TimeSpan.FromSeconds(Math.Ceiling((permitCount - _tokens) / _tokensPerSecond));
            return new TokenBucketLease(false, wait);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_updated, now).TotalSeconds;
        _updated = now;
        _tokens = Math.Min(_capacity, _tokens + elapsed * _tokensPerSecond);
    }
}
