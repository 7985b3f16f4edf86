namespace P2P.InferenceNetwork.Routing;

/// <summary>
/// Success rate and latency per executor, and a back-off after failures: a peer that failed is skipped for
/// 2, 4, 8 … 60 seconds; its score = success rate / (1 + latency in seconds).
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
            entry.LatencySeconds = 0.8 * entry.LatencySeconds + 0.2 * latency.TotalSeconds;
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
        public int ConsecutiveFailures { get; set; }
        public DateTimeOffset BackOffUntil { get; set; }
    }
}
