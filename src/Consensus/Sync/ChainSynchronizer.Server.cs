using Microsoft.Extensions.Logging;
using P2P.Networking.Identity;
using P2P.Networking.RequestResponse;

namespace P2P.Consensus.Sync;

// The server side: status, headers after a locator's fork point, bodies by hash within a byte budget.
public sealed partial class ChainSynchronizer
{
    /// <summary>Starts serving <c>/p2pd/sync/1</c> (inbound concurrency limited per peer and in total); disposing the result stops.</summary>
    public IDisposable Serve() => _protocol.Serve(HandleAsync);

    /// <summary>Blocks this node has served to peers' bodies requests.</summary>
    public long BlocksServed => Interlocked.Read(ref _blocksServed);

    private async Task<SyncResponse> HandleAsync(PeerId peer, SyncRequest request, CancellationToken cancellationToken)
    {
        switch (request)
        {
            case StatusRequest status:
                var local = LocalStatus();
                if (!status.Status.SameChainAs(local))
                {
                    await PunishAsync(peer, $"status of another chain {Encoding.Hashing.Short(status.Status.ChainId)}", cancellationToken).ConfigureAwait(false);
                    throw new InvalidOperationException("another chain");
                }
                lock (_gate) _statuses[peer] = status.Status;
                if (status.Status.CumulativeWork > local.CumulativeWork) Wake();
                return new StatusResponse(local);
            case HeadersRequest headers:
                var fork = BlockLocator.FindForkPoint(_chain, headers.Locator);
                int count = (int)Math.Min(headers.MaxCount, SyncLimits.MaxHeadersPerResponse);
                return new HeadersResponse(fork is null ? [] : BlockLocator.HeadersAfter(_chain, fork, count));
            case BodiesRequest bodies:
                return new BodiesResponse(CollectBodies(bodies.Hashes));
            default:
                throw new InvalidOperationException($"unexpected request {request.Kind}");
        }
    }

    private List<byte[]> CollectBodies(IReadOnlyList<byte[]> hashes)
    {
        var blocks = new List<byte[]>();
        long bytes = 0;
        foreach (var hash in hashes)
        {
            if (_chain.GetBlock(hash) is not { } block) break;
            var encoded = block.Encode();
            if (blocks.Count > 0 && bytes + encoded.Length > SyncLimits.BodiesByteBudget) break;
            blocks.Add(encoded);
            bytes += encoded.Length;
        }
        Interlocked.Add(ref _blocksServed, blocks.Count);
        _logger.LogTrace("served {Count} of {Asked} bodies ({Bytes} bytes)", blocks.Count, hashes.Count, bytes);
        return blocks;
    }
}
