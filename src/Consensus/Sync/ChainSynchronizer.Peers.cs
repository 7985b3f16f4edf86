using System.Numerics;
using Microsoft.Extensions.Logging;
using P2P.Consensus.Blocks;
using P2P.Consensus.Reasons;
using P2P.Consensus.Rules;
using P2P.Networking.Core;
using P2P.Networking.Identity;
using P2P.Networking.RequestResponse;
using P2P.Networking.Streams;

namespace P2P.Consensus.Sync;

// Peers as the client sees them: status polling, requests with the error policy, benching and banning.
public sealed partial class ChainSynchronizer
{
    /// <summary>A status message's size, for the byte rate (its work field is usually 8–16 bytes).</summary>
    private const int StatusBytes = 1 + 3 * 32 + 8 + 4 + 16;

    /// <summary>Exchanges status with <paramref name="peer"/>: its status, or null when it is unreachable, not serving, or of another chain (then banned).</summary>
    public async Task<SyncStatus?> RequestStatusAsync(PeerId peer, CancellationToken cancellationToken = default)
    {
        var response = await TryRequestAsync(peer, new StatusRequest(LocalStatus()), cancellationToken).ConfigureAwait(false);
        if (response is null) return null;
        if (response is not StatusResponse { Status: var status })
        {
            await PunishAsync(peer, $"answered a status request with {response.Kind}", cancellationToken).ConfigureAwait(false);
            return null;
        }
        CountBytes(StatusBytes);
        if (!status.SameChainAs(LocalStatus()))
        {
            await PunishAsync(peer, $"peer of another chain {Encoding.Hashing.Short(status.ChainId)}", cancellationToken).ConfigureAwait(false);
            return null;
        }
        lock (_gate) _statuses[peer] = status;
        return status;
    }

    /// <summary>Fetches one block by hash from <paramref name="peer"/> (the gossip path's unknown parents): null when it does not have it or failed; a wrong block bans it.</summary>
    public async Task<Block?> FetchBlockAsync(PeerId peer, byte[] hash, CancellationToken cancellationToken = default)
    {
        var response = await TryRequestAsync(peer, new BodiesRequest([hash]), cancellationToken).ConfigureAwait(false);
        if (response is not BodiesResponse bodies)
        {
            if (response is not null) await PunishAsync(peer, $"answered a bodies request with {response.Kind}", cancellationToken).ConfigureAwait(false);
            return null;
        }
        if (bodies.Blocks.Count == 0) return null;
        CountBytes(bodies.Blocks[0].Length);
        var (block, problem) = CheckBody(bodies.Blocks[0], hash);
        if (problem is not null)
        {
            await PunishAsync(peer, problem, cancellationToken).ConfigureAwait(false);
            return null;
        }
        return block;
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var peers = _connectedPeers().Where(p => !_reputation.IsBanned(p)).ToList();
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            foreach (var gone in _statuses.Keys.Except(peers).ToList()) _statuses.Remove(gone);
            foreach (var (peer, until) in _benched.ToList())
            {
                if (until <= now) _benched.Remove(peer);
            }
        }
        for (int i = 0; i < peers.Count; i += _options.MaxPeersPolled)
        {
            var batch = peers.Skip(i).Take(_options.MaxPeersPolled).Select(p => RequestStatusAsync(p, cancellationToken));
            await Task.WhenAll(batch).ConfigureAwait(false);
        }
    }

    /// <summary>Same-chain peers with more work than <paramref name="ours"/>, neither banned nor benched, most work first.</summary>
    private List<(PeerId Peer, SyncStatus Status)> PeersAhead(BigInteger ours)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            return _statuses
                .Where(s => s.Value.CumulativeWork > ours && !_reputation.IsBanned(s.Key) && !(_benched.TryGetValue(s.Key, out var until) && until > now))
                .OrderByDescending(s => s.Value.CumulativeWork)
                .Select(s => (s.Key, s.Value))
                .ToList();
        }
    }

    /// <summary>
    /// One request with the error policy: a protocol violation (oversized, undecodable) bans the peer; a timeout
    /// benches it with a small penalty; a refusal, reset or missing protocol just gives null.
    /// </summary>
    private async Task<SyncResponse?> TryRequestAsync(PeerId peer, SyncRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _protocol.RequestAsync(peer, request, cancellationToken).ConfigureAwait(false);
            if (response.Kind != request.Kind)
            {
                await PunishAsync(peer, $"answered {request.Kind} with {response.Kind}", cancellationToken).ConfigureAwait(false);
                return null;
            }
            return response;
        }
        catch (ProtocolViolationException e)
        {
            await PunishAsync(peer, e.Message, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Bench(peer, $"{request.Kind} request timed out");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Refused (busy), reset, not serving the protocol, disconnected: not misbehaviour.
            _logger.LogDebug("sync {Kind} request to {Peer} failed: {Reason}", request.Kind, peer, e.Message);
            lock (_gate) _benched[peer] = _time.GetUtcNow() + _options.RecheckInterval;
        }
        return null;
    }

    /// <summary>Invalid data or another chain: a penalty and a ban (which disconnects it).</summary>
    private async Task PunishAsync(PeerId peer, string reason, CancellationToken cancellationToken)
    {
        _logger.LogWarning("sync: banning {Peer}: {Reason}", peer, reason);
        lock (_gate)
        {
            _statuses.Remove(peer);
            _otherChain.Remove(peer); // banned now: the ban refuses it from here on
        }
        _reputation.ReportMisbehaviour(peer, _options.MisbehaviourPenalty, $"sync: {reason}");
        try
        {
            await _reputation.BanAsync(peer, _options.BanDuration, $"sync: {reason}", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogDebug("banning {Peer} failed: {Reason}", peer, e.Message);
        }
    }

    /// <summary>Slow or unable to serve: a small penalty, and no work for it until the next recheck.</summary>
    private void Bench(PeerId peer, string reason)
    {
        _logger.LogInformation("sync: benching {Peer}: {Reason}", peer, reason);
        _reputation.ReportMisbehaviour(peer, _options.FailurePenalty, $"sync: {reason}");
        lock (_gate) _benched[peer] = _time.GetUtcNow() + _options.RecheckInterval;
    }

    private bool IsUsable(PeerId peer)
    {
        if (_reputation.IsBanned(peer)) return false;
        lock (_gate) return !(_benched.TryGetValue(peer, out var until) && until > _time.GetUtcNow());
    }

    /// <summary>Decodes a served block and checks it is the one asked for and its body matches its header; the problem otherwise.</summary>
    private (Block? Block, string? Problem) CheckBody(byte[] bytes, byte[] hash)
    {
        if (!BlockCodec.TryDecode(bytes, _chain.Genesis.MaxBlockBytes, out var block, out var reason))
            return (null, $"undecodable block ({reason})");
        if (!block!.Hash().AsSpan().SequenceEqual(hash)) return (null, $"served block {Encoding.Hashing.Short(block.Hash())} for {Encoding.Hashing.Short(hash)}");
        if (!block.ComputeBodyRoot().AsSpan().SequenceEqual(block.Header.BodyRoot))
            return (null, $"body of {Encoding.Hashing.Short(hash)} does not match its header ({RejectReason.BadBodyRoot})");
        return (block, null);
    }
}
