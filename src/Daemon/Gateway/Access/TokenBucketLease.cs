using System.Threading.RateLimiting;

namespace P2P.Daemon.Gateway.Access;

/// <summary>A <see cref="ClientTokenBucket"/> lease; a refused one says when a token will be there again.</summary>
internal sealed class TokenBucketLease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
{
    public static readonly TokenBucketLease Granted = new(true, null);

    public override bool IsAcquired { get; } = acquired;

    public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = retryAfter is not null && metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
        return metadata is not null;
    }
}
