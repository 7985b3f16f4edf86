using P2P.Networking.Core;
using P2P.Networking.Identity;

namespace P2P.Simulation;

/// <summary>
/// A simulated peer's <see cref="IPeerReputation"/>: penalties feed its gossipsub P5 score; a ban disconnects the
/// peer and refuses it until the ban expires on the simulated clock. Reports are kept for assertions.
/// </summary>
public sealed class SimulatedReputation(SimulatedPeer self) : IPeerReputation
{
    private readonly object _gate = new();
    private readonly Dictionary<PeerId, double> _scores = [];
    private readonly Dictionary<PeerId, DateTimeOffset> _bans = [];
    private readonly ProtectionTags _protection = new();

    /// <summary>Every report, in order: (peer, penalty, reason).</summary>
    public List<(PeerId Peer, double Penalty, string Reason)> Reports { get; } = [];

    public void ReportMisbehaviour(PeerId peer, double penalty, string reason)
    {
        lock (_gate)
        {
            _scores[peer] = _scores.GetValueOrDefault(peer) - penalty;
            Reports.Add((peer, penalty, reason));
        }
    }

    public double ApplicationScore(PeerId peer)
    {
        lock (_gate)
        {
            return _scores.GetValueOrDefault(peer);
        }
    }

    public Task BanAsync(PeerId peer, TimeSpan duration, string reason, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _bans[peer] = self.Network.Time.GetUtcNow() + duration;
        }
        if (self.Network.Peers.FirstOrDefault(p => p.Id == peer) is { } other && self.IsConnectedTo(other))
        {
            self.Network.Disconnect(self, other);
        }
        return Task.CompletedTask;
    }

    public bool IsBanned(PeerId peer)
    {
        lock (_gate)
        {
            return _bans.TryGetValue(peer, out var until) && until > self.Network.Time.GetUtcNow();
        }
    }

    public void Protect(PeerId peer, string tag) => _protection.Protect(peer, tag);

    public bool Unprotect(PeerId peer, string tag) => _protection.Unprotect(peer, tag);

    public bool IsProtected(PeerId peer) => _protection.IsProtected(peer);
}
