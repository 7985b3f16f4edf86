namespace P2P.Accountability.Validation;

/// <summary>What this node's validator has done: verdicts by outcome and the CPU time its re-runs took.</summary>
public sealed class ValidatorStats
{
    private long _valid, _invalid, _unavailable, _reexecutionTicks;

    public long Valid => Interlocked.Read(ref _valid);

    public long Invalid => Interlocked.Read(ref _invalid);

    /// <summary>Invalid verdicts because the executor did not provide its record.</summary>
    public long Unavailable => Interlocked.Read(ref _unavailable);

    /// <summary>Thread CPU time spent re-running receipts.</summary>
    public TimeSpan ReexecutionCpu => TimeSpan.FromTicks(Interlocked.Read(ref _reexecutionTicks));

    internal void Count(bool valid, bool unavailable)
    {
        if (valid) Interlocked.Increment(ref _valid);
        else Interlocked.Increment(ref _invalid);
        if (unavailable) Interlocked.Increment(ref _unavailable);
    }

    internal void AddCpu(TimeSpan cpu) => Interlocked.Add(ref _reexecutionTicks, cpu.Ticks);
}
