namespace P2P.Work.Tests.Support;

/// <summary>A clock that moves only when asked: every timestamp read advances it by one fixed step.</summary>
public sealed class ManualTimeProvider(TimeSpan stepPerRead) : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Add(ref _ticks, stepPerRead.Ticks);
}
