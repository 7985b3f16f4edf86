namespace P2P.Consensus.Simulation.Network;

/// <summary>How one directed link behaves: base latency, uniform extra delay, loss probability and bandwidth.</summary>
/// <param name="LatencyMicros">Fixed one-way delay.</param>
/// <param name="JitterMicros">An extra delay drawn uniformly from [0, jitter] per message.</param>
/// <param name="Loss">Probability in [0, 1) that a message is dropped.</param>
/// <param name="BytesPerSecond">Serialisation rate (0: unlimited); a message of n bytes takes n / rate longer.</param>
public sealed record LinkProfile(long LatencyMicros, long JitterMicros = 0, double Loss = 0, long BytesPerSecond = 0)
{
    /// <summary>50 ms ± 20 ms, lossless, 10 MB/s: a small WAN.</summary>
    public static LinkProfile Wan { get; } = new(50_000, 20_000, 0, 10_000_000);

    public void Validate()
    {
        if (LatencyMicros < 0 || JitterMicros < 0 || BytesPerSecond < 0 || Loss is < 0 or >= 1 || double.IsNaN(Loss))
            throw new ArgumentOutOfRangeException(nameof(LinkProfile), this, "latency, jitter and bandwidth are not negative; loss is in [0, 1)");
    }

    /// <summary>The delivery delay of a message of <paramref name="bytes"/> bytes.</summary>
    public long DelayMicros(int bytes, Random random)
    {
        long delay = LatencyMicros + (JitterMicros > 0 ? random.NextInt64(JitterMicros + 1) : 0);
        if (BytesPerSecond > 0) delay += bytes * 1_000_000L / BytesPerSecond;
        return delay;
    }
}
