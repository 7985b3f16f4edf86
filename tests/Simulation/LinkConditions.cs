namespace P2P.Simulation;

/// <summary>How a simulated link behaves in one direction: delay, random extra delay, and the chance a message is lost.</summary>
public sealed record LinkConditions(TimeSpan Latency, TimeSpan Jitter = default, double LossRate = 0)
{
    public static LinkConditions Default { get; } = new(TimeSpan.FromMilliseconds(20));
}
