using P2P.Networking.Identity;

namespace P2P.Networking.Core;

/// <summary>
/// How protocols judge peers: report misbehaviour (it lowers the peer's application score, which gossipsub counts
/// as P5), ban a peer for a while (disconnect and refuse it), and protect a valuable connection from trimming.
/// </summary>
public interface IPeerReputation
{
    /// <summary>Lowers the peer's application score by <paramref name="penalty"/> (positive; it decays back over time).</summary>
    void ReportMisbehaviour(PeerId peer, double penalty, string reason);

    /// <summary>The peer's application score: 0 when never reported, negative after misbehaviour.</summary>
    double ApplicationScore(PeerId peer);

    /// <summary>Disconnects the peer and refuses its connections (both ways) for <paramref name="duration"/>.</summary>
    Task BanAsync(PeerId peer, TimeSpan duration, string reason, CancellationToken cancellationToken = default);

    bool IsBanned(PeerId peer);

    /// <summary>Keeps the peer's connections from being trimmed while any protection tag is set.</summary>
    void Protect(PeerId peer, string tag);

    /// <summary>Removes one protection tag; true when it was set.</summary>
    bool Unprotect(PeerId peer, string tag);

    bool IsProtected(PeerId peer);
}
