using Microsoft.Extensions.Logging;
using P2P.Networking.Core;
using P2P.Networking.Hosting;
using P2P.Networking.Identity;

namespace P2P.Networking.Host;

/// <summary>
/// The host's <see cref="IPeerReputation"/>: per-peer penalties decaying with a half-life on the injected clock,
/// bans with an expiry, and protection tags the connection manager honours.
/// </summary>
internal sealed class PeerReputation(IP2PHost host, NetworkOptions options, TimeProvider time, ILogger logger) : IPeerReputation
{
    private readonly object _gate = new();
    private readonly Dictionary<PeerId, (double Score, DateTimeOffset At)> _scores = [];
    private readonly Dictionary<PeerId, DateTimeOffset> _bans = [];
    private readonly ProtectionTags _protection = new();

    public void ReportMisbehaviour(PeerId peer, double penalty, string reason)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(penalty);
        double score;
        lock (_gate)
        {
            score = ScoreNow(peer) - penalty;
            _scores[peer] = (score, time.GetUtcNow());
        }
        logger.LogInformation("peer {Peer} misbehaved ({Reason}): application score {Score:F1}", peer, reason, score);
        if (score <= options.AutoBanScore && !IsBanned(peer))
        {
            _ = AutoBanAsync(peer, score);
        }
    }

    private async Task AutoBanAsync(PeerId peer, double score)
    {
        try
        {
            await BanAsync(peer, options.AutoBanDuration, $"application score {score:F1} at or below {options.AutoBanScore}").ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or TimeoutException)
        {
            logger.LogDebug("closing the connections of banned peer {Peer} failed: {Reason}", peer, e.Message);
        }
    }

    public double ApplicationScore(PeerId peer)
    {
        lock (_gate)
        {
            return ScoreNow(peer);
        }
    }

    private double ScoreNow(PeerId peer)
    {
        if (!_scores.TryGetValue(peer, out var entry))
        {
            return 0;
        }
        var halves = (time.GetUtcNow() - entry.At) / options.ReputationHalfLife;
        var score = entry.Score * Math.Pow(0.5, halves);
        if (score > -0.01)
        {
            _scores.Remove(peer);
            return 0;
        }
        return score;
    }

    public async Task BanAsync(PeerId peer, TimeSpan duration, string reason, CancellationToken cancellationToken = default)
    {
        var until = time.GetUtcNow() + duration;
        lock (_gate)
        {
            if (_bans.TryGetValue(peer, out var existing) && existing >= until)
            {
                until = existing;
            }
            _bans[peer] = until;
        }
        logger.LogWarning("banning peer {Peer} until {Until:u}: {Reason}", peer, until, reason);
        await host.DisconnectAsync(peer, cancellationToken).ConfigureAwait(false);
    }

    public bool IsBanned(PeerId peer) => BannedUntil(peer) is not null;

    /// <summary>The end of the peer's ban, or null when it is not banned (an expired ban is forgotten).</summary>
    public DateTimeOffset? BannedUntil(PeerId peer)
    {
        lock (_gate)
        {
            if (!_bans.TryGetValue(peer, out var until))
            {
                return null;
            }
            if (until <= time.GetUtcNow())
            {
                _bans.Remove(peer);
                return null;
            }
            return until;
        }
    }

    public void Protect(PeerId peer, string tag) => _protection.Protect(peer, tag);

    public bool Unprotect(PeerId peer, string tag) => _protection.Unprotect(peer, tag);

    public bool IsProtected(PeerId peer) => _protection.IsProtected(peer);
}
