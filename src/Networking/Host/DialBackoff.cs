using P2P.Networking.Identity;

namespace P2P.Networking.Host;

/// <summary>Per-peer exponential dial backoff on the injected clock.</summary>
internal sealed class DialBackoff(TimeProvider time, TimeSpan baseDelay, TimeSpan maxDelay)
{
    private readonly object _gate = new();
    private readonly Dictionary<PeerId, (int Failures, DateTimeOffset Until)> _entries = [];

    public bool IsBackedOff(PeerId peer, out TimeSpan remaining)
    {
        lock (_gate)
        {
            remaining = TimeSpan.Zero;
            if (!_entries.TryGetValue(peer, out var entry))
            {
                return false;
            }
            remaining = entry.Until - time.GetUtcNow();
            return remaining > TimeSpan.Zero;
        }
    }

    public TimeSpan RecordFailure(PeerId peer)
    {
        lock (_gate)
        {
            var failures = _entries.TryGetValue(peer, out var entry) ? entry.Failures + 1 : 1;
            var delay = TimeSpan.FromTicks((long)Math.Min(maxDelay.Ticks, baseDelay.Ticks * Math.Pow(2, Math.Min(failures - 1, 30))));
            _entries[peer] = (failures, time.GetUtcNow() + delay);
            return delay;
        }
    }

    public void RecordSuccess(PeerId peer)
    {
        lock (_gate)
        {
            _entries.Remove(peer);
        }
    }
}
