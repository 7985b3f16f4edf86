using Microsoft.Extensions.Logging;
using P2P.Consensus.Blocks;
using P2P.Consensus.Reasons;
using P2P.Consensus.Rules;
using P2P.Networking.Identity;

namespace P2P.Consensus.Sync;

// Headers first: from the best peer, by block locator, each header checked before it is kept.
public sealed partial class ChainSynchronizer
{
    /// <summary>
    /// Downloads and checks headers from <paramref name="peer"/> until it has no more, its announced head is reached or
    /// <see cref="SyncOptions.MaxPendingHeaders"/> are held. Null when the peer failed or misbehaved (it is benched or banned).
    /// </summary>
    private async Task<PendingHeaders?> DownloadHeadersAsync(PeerId peer, SyncStatus status, CancellationToken cancellationToken)
    {
        PendingHeaders? pending = null;
        // Each round trip adds at least one header or ends the loop; the cap bounds the rounds.
        for (int round = 0; round <= _options.MaxPendingHeaders; round++)
        {
            int want = Math.Min(_options.HeadersPerRequest, _options.MaxPendingHeaders - (pending?.Count ?? 0));
            var locator = BlockLocator.Build(_chain);
            if (pending is not null && pending.Count > 0) locator = [pending.TipHash, .. locator.Take(SyncLimits.MaxLocatorHashes - 1)];
            var response = await TryRequestAsync(peer, new HeadersRequest(locator, (uint)want), cancellationToken).ConfigureAwait(false);
            if (response is not HeadersResponse { Headers: var headers }) return null;
            CountBytes(headers.Count * BlockHeader.EncodedLength);
            if (headers.Count > want)
            {
                await PunishAsync(peer, $"{headers.Count} headers for {want} asked", cancellationToken).ConfigureAwait(false);
                return null;
            }
            if (headers.Count == 0) return pending ?? EmptyPending();

            if (pending is null || !headers[0].ParentHash.AsSpan().SequenceEqual(pending.TipHash))
            {
                if (pending is not null && pending.Count > 0 && locator.Skip(1).Any(h => h.AsSpan().SequenceEqual(headers[0].ParentHash)))
                {
                    // The peer reorganised under us: bodies of what we hold may still be served; the next round starts afresh.
                    return pending;
                }
                bool inLocator = locator.Any(h => h.AsSpan().SequenceEqual(headers[0].ParentHash));
                var fork = inLocator ? MainChainHeader(headers[0].ParentHash) : null;
                if (inLocator && fork is null) return null; // our own chain reorganised meanwhile: start afresh
                if (fork is null)
                {
                    await PunishAsync(peer, $"headers that do not connect (parent {Encoding.Hashing.Short(headers[0].ParentHash)} is in no locator entry)", cancellationToken).ConfigureAwait(false);
                    return null;
                }
                pending = new PendingHeaders(_chain, fork, headers[0].ParentHash, _options.MaxPendingHeaders);
            }

            long now = _time.GetUtcNow().ToUnixTimeSeconds();
            foreach (var header in headers)
            {
                if (header.Height > status.Height)
                {
                    // A peer that mined or received blocks since its status answer serves them too: not misbehaviour.
                    // This round stops at the announced head (its work is what chose the peer); the next round goes on.
                    break;
                }
                var reason = pending.TryAdd(header, now);
                if (reason == RejectReason.None) continue;
                if (reason == RejectReason.TimestampTooFarAhead)
                {
                    // Possibly our clock: not proof of misbehaviour.
                    Bench(peer, $"header {header.Height} is ahead of our clock");
                    return pending.Count > 0 ? pending : null;
                }
                await PunishAsync(peer, $"invalid header at height {header.Height}: {reason}", cancellationToken).ConfigureAwait(false);
                return null;
            }
            lock (_gate) _pendingHeaders = pending.Count;
            _logger.LogDebug("sync: {Count} headers from {Peer}, pending up to {Height}", headers.Count, peer, pending.TipHeight);
            if (headers.Count < want || pending.IsFull || pending.TipHeight >= status.Height) return pending;
        }
        return pending;
    }

    private PendingHeaders EmptyPending() => new(_chain, _chain.GetHeader(_chain.GenesisHash)!, _chain.GenesisHash, _options.MaxPendingHeaders);

    /// <summary>The header of <paramref name="hash"/> when it is on our main chain.</summary>
    private BlockHeader? MainChainHeader(byte[] parentHash)
    {
        if (_chain.GetHeader(parentHash) is not { } header) return null;
        return _chain.MainChainHash(header.Height) is { } onMain && onMain.AsSpan().SequenceEqual(parentHash) ? header : null;
    }
}
