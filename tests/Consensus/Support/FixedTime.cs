namespace P2P.Consensus.Tests.Support;

/// <summary>A clock that says what the test sets (block times of a <see cref="TestChain"/>).</summary>
public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
