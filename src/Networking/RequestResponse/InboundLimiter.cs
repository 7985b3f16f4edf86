using P2P.Networking.Identity;

namespace P2P.Networking.RequestResponse;

/// <summary>
/// Counts the requests a protocol is serving, in total and per peer; a request over either limit is refused at
/// once rather than queued, so a flood costs the server nothing but the refusal.
/// </summary>
public sealed class InboundLimiter(int maxConcurrent, int maxConcurrentPerPeer)
{
    private readonly object _gate = new();
    private readonly Dictionary<PeerId, int> _perPeer = [];
    private int _total;

    public int Active
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>Takes a slot for a request from <paramref name="peer"/>; null and a reason when a limit is reached.</summary>
    public IDisposable? TryEnter(PeerId peer, out string? refusal)
    {
        lock (_gate)
        {
            _perPeer.TryGetValue(peer, out var fromPeer);
            if (_total >= maxConcurrent)
            {
                refusal = $"{_total} requests already in progress (limit {maxConcurrent})";
                return null;
            }
            if (fromPeer >= maxConcurrentPerPeer)
            {
                refusal = $"{fromPeer} requests from {peer} already in progress (limit {maxConcurrentPerPeer} per peer)";
                return null;
            }
            _total++;
            _perPeer[peer] = fromPeer + 1;
            refusal = null;
            return new Slot(this, peer);
        }
    }

    private void Leave(PeerId peer)
    {
        lock (_gate)
        {
            _total--;
            if (--_perPeer[peer] == 0)
            {
                _perPeer.Remove(peer);
            }
        }
    }

    private sealed class Slot(InboundLimiter limiter, PeerId peer) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                limiter.Leave(peer);
            }
        }
    }
}
