namespace P2P.InferenceNetwork.Routing;

/// <summary>
/// Success rate and latency per executor, and a back-off after failures: a peer that failed is skipped for
/// 2, 4, 8 … 60 seconds; its score = success rate / (1 + latency in seconds). Latency is an EWMA (α = 0.2) started at
/// the first measurement.
/// </summary>
public sealed class PeerHealth(TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _peers = [];

    public void RecordSuccess(string peer, TimeSpan latency)
    {
        lock (_lock)
        {
            var entry = Get(peer);
            entry.SuccessRate = 0.8 * entry.SuccessRate + 0.2;
            entry.LatencySeconds = entry.Measured ? 0.8 * entry.LatencySeconds + 0.2 * latency.TotalSeconds : latency.TotalSeconds;
            entry.Measured = true;
            entry.ConsecutiveFailures = 0;
        }
    }

    public void RecordFailure(string peer)
    {
        lock (_lock)
        {
            var entry = Get(peer);
            entry.SuccessRate *= 0.8;
            entry.ConsecutiveFailures++;
            var backOff = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, entry.ConsecutiveFailures)));
            entry.BackOffUntil = _time.GetUtcNow() + backOff;
        }
    }

    public bool IsBackingOff(string peer)
    {
        lock (_lock) return _peers.TryGetValue(peer, out var entry) && entry.BackOffUntil > _time.GetUtcNow();
    }

    /// <summary>The latency EWMA of a peer's successful requests, or null before its first success.</summary>
    public TimeSpan? Latency(string peer)
    {
        lock (_lock) return _peers.TryGetValue(peer, out var entry) && entry.Measured ? TimeSpan.FromSeconds(entry.LatencySeconds) : null;
    }

    public double Score(string peer)
    {
        lock (_lock)
        {
            var entry = Get(peer);
            return entry.SuccessRate / (1 + entry.LatencySeconds);
        }
    }

    private Entry Get(string peer)
    {
        if (!_peers.TryGetValue(peer, out var entry)) _peers[peer] = entry = new Entry();
        return entry;
    }

    private sealed class Entry
    {
        public double SuccessRate { get; set; } = 1.0;
        public double LatencySeconds { get; set; }
        public bool Measured { get; set; }
        public int ConsecutiveFailures { get; set; }
        public DateTimeOffset BackOffUntil { get; set; }
    }
}
