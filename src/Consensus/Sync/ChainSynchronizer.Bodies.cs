using Microsoft.Extensions.Logging;
using P2P.Consensus.Blocks;
using P2P.Consensus.State;
using P2P.Networking.Identity;

namespace P2P.Consensus.Sync;

// Bodies: batches from several peers in parallel, each block checked against its header, submitted in order.
public sealed partial class ChainSynchronizer
{
    private async Task DownloadBodiesAsync(PendingHeaders pending, PeerId headerPeer, List<(PeerId Peer, SyncStatus Status)> sources, CancellationToken cancellationToken)
    {
        var queue = new SortedDictionary<int, BodyBatch>();
        for (int start = 0; start < pending.Count; start += _options.BodiesPerRequest)
            queue[start] = new BodyBatch(start, Math.Min(_options.BodiesPerRequest, pending.Count - start));
        var arrived = new Dictionary<int, (Block Block, PeerId From)>();
        var inFlight = new Dictionary<Task<SyncResponse?>, (BodyBatch Batch, PeerId Peer)>();
        // Blocks held out of order stay within this window above the next one to submit.
        int window = _options.ParallelRequests * _options.BodiesPerRequest * 2;
        int next = 0;

        while (next < pending.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            while (inFlight.Count < _options.ParallelRequests && queue.Count > 0)
            {
                var batch = queue.First().Value;
                if (batch.Start >= next + window) break;
                ulong lastHeight = pending[batch.Start + batch.Count - 1].Header.Height;
                // The least busy peer that has the batch: spread over peers first, then pipeline on each.
                var load = inFlight.Values.GroupBy(v => v.Peer).ToDictionary(g => g.Key, g => g.Count());
                var peer = sources.Where(s => s.Status.Height >= lastHeight && load.GetValueOrDefault(s.Peer) < _options.RequestsPerPeer
                                              && !batch.FailedPeers.Contains(s.Peer) && IsUsable(s.Peer))
                    .OrderBy(s => load.GetValueOrDefault(s.Peer)).Select(s => s.Peer).FirstOrDefault();
                if (peer is null) break;
                queue.Remove(batch.Start);
                var hashes = Enumerable.Range(batch.Start, batch.Count).Select(i => pending[i].Hash).ToList();
                inFlight[TryRequestAsync(peer, new BodiesRequest(hashes), cancellationToken)] = (batch, peer);
            }
            if (inFlight.Count == 0)
            {
                _logger.LogInformation("sync: no peer can serve the bodies from height {Height}; {Left} left for the next round", pending[next].Header.Height, pending.Count - next);
                return;
            }
            var done = await Task.WhenAny(inFlight.Keys).ConfigureAwait(false);
            var (doneBatch, from) = inFlight[done];
            inFlight.Remove(done);
            await AcceptBodiesAsync(await done.ConfigureAwait(false), doneBatch, from, headerPeer, pending, arrived, queue, cancellationToken).ConfigureAwait(false);

            while (arrived.Remove(next, out var item))
            {
                var result = _chain.Submit(item.Block, _time.GetUtcNow());
                if (result.IsInvalid)
                {
                    // A body matching a header with valid work, yet invalid: whoever offered this chain holds an invalid block.
                    await PunishAsync(item.From, $"invalid block at height {item.Block.Header.Height}: {result.Reason}", cancellationToken).ConfigureAwait(false);
                    if (headerPeer != item.From) await PunishAsync(headerPeer, $"announced a chain with the invalid block at height {item.Block.Header.Height}", cancellationToken).ConfigureAwait(false);
                    await DrainAsync(inFlight.Keys).ConfigureAwait(false);
                    return;
                }
                if (result.Status == SubmitStatus.Orphan)
                {
                    // Our chain moved under us (a reorganisation by gossip): start afresh from a new locator.
                    await DrainAsync(inFlight.Keys).ConfigureAwait(false);
                    return;
                }
                lock (_gate) _blocksApplied++;
                BlockApplied?.Invoke(item.Block, result);
                next++;
            }
        }
        _logger.LogInformation("sync: applied up to height {Height} (head {Head})", pending[pending.Count - 1].Header.Height, _chain.Head.Height);
    }

    /// <summary>Checks a bodies answer: matching blocks are kept, the rest of the batch goes back to the queue; a wrong block bans the peer.</summary>
    private async Task AcceptBodiesAsync(SyncResponse? response, BodyBatch batch, PeerId from, PeerId headerPeer, PendingHeaders pending,
                                         Dictionary<int, (Block, PeerId)> arrived, SortedDictionary<int, BodyBatch> queue, CancellationToken cancellationToken)
    {
        int served = 0;
        if (response is BodiesResponse bodies)
        {
            if (bodies.Blocks.Count > batch.Count)
            {
                await PunishAsync(from, $"{bodies.Blocks.Count} bodies for {batch.Count} asked", cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var blocks = new List<Block>(bodies.Blocks.Count);
                string? problem = null;
                foreach (var bytes in bodies.Blocks)
                {
                    CountBytes(bytes.Length);
                    var (block, trouble) = CheckBody(bytes, pending[batch.Start + blocks.Count].Hash);
                    if (trouble is not null)
                    {
                        problem = trouble;
                        break;
                    }
                    blocks.Add(block!);
                }
                if (problem is not null) await PunishAsync(from, problem, cancellationToken).ConfigureAwait(false);
                else
                {
                    for (int i = 0; i < blocks.Count; i++) arrived[batch.Start + i] = (blocks[i], from);
                    served = blocks.Count;
                    // A node keeps every block whose header it serves (side branches too), so the peer whose headers these
                    // are and that answers none of their bodies is lying (an endless header chain); another peer may simply
                    // be on another branch.
                    if (served == 0 && from == headerPeer) await PunishAsync(from, "served none of the bodies of the headers it sent", cancellationToken).ConfigureAwait(false);
                }
            }
        }
        if (served == batch.Count) return;
        var rest = new BodyBatch(batch.Start + served, batch.Count - served) { FailedPeers = [.. batch.FailedPeers] };
        if (served == 0) rest.FailedPeers.Add(from);
        queue[rest.Start] = rest;
    }

    /// <summary>Lets abandoned requests finish (each is bounded by the request timeout) so none outlives the round.</summary>
    private static async Task DrainAsync(IEnumerable<Task<SyncResponse?>> requests)
    {
        foreach (var request in requests.ToList())
        {
            try
            {
                await request.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The round is being abandoned anyway.
            }
        }
    }
}
