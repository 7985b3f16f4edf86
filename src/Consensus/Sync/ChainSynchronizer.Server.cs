using Microsoft.Extensions.Logging;
using P2P.Networking.Identity;
using P2P.Networking.RequestResponse;

namespace P2P.Consensus.Sync;

// The server side: status, headers after a locator's fork point, bodies by hash within a byte budget.
public sealed partial class ChainSynchronizer
{
    /// <summary>Starts serving <c>/p2pd/sync/1</c> (inbound concurrency limited per peer and in total); disposing the result stops.</summary>
    public IDisposable Serve() => _protocol.Serve(HandleAsync);

    private const int MaxRememberedStrangers = 1024;

    /// <summary>Blocks this node has served to peers' bodies requests.</summary>
    public long BlocksServed => Interlocked.Read(ref _blocksServed);

    private Task<SyncResponse> HandleAsync(PeerId peer, SyncRequest request, CancellationToken cancellationToken)
    {
        switch (request)
        {
            case StatusRequest status:
                var local = LocalStatus();
                if (!status.Status.SameChainAs(local))
                {
                    // Answered with our status, so that the peer learns why it is refused; banning it now (or a penalty big
                    // enough for the host's automatic ban) would drop the answer with the connection, so our own poll,
                    // woken now, bans it.
                    _reputation.ReportMisbehaviour(peer, _options.FailurePenalty, $"sync: status of another chain {Encoding.Hashing.Short(status.Status.ChainId)}");
                    lock (_gate)
                    {
                        if (_otherChain.Count >= MaxRememberedStrangers) _otherChain.Clear(); // a bound; the poll bans them anyway
                        _otherChain.Add(peer);
                    }
                    Wake();
                    return Task.FromResult<SyncResponse>(new StatusResponse(local));
                }
                lock (_gate) _statuses[peer] = status.Status;
                if (status.Status.CumulativeWork > local.CumulativeWork) Wake();
                return Task.FromResult<SyncResponse>(new StatusResponse(local));
            case not StatusRequest when IsOfAnotherChain(peer):
                throw new InvalidOperationException("a peer of another chain");
            case HeadersRequest headers:
                var fork = BlockLocator.FindForkPoint(_chain, headers.Locator);
                int count = (int)Math.Min(headers.MaxCount, SyncLimits.MaxHeadersPerResponse);
                return Task.FromResult<SyncResponse>(new HeadersResponse(fork is null ? [] : BlockLocator.HeadersAfter(_chain, fork, count)));
            case BodiesRequest bodies:
                return Task.FromResult<SyncResponse>(new BodiesResponse(CollectBodies(bodies.Hashes)));
            default:
                throw new InvalidOperationException($"unexpected request {request.Kind}");
        }
    }

    private bool IsOfAnotherChain(PeerId peer)
    {
        lock (_gate) return _otherChain.Contains(peer);
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
