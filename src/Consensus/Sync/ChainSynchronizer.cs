using Microsoft.Extensions.Logging;
using P2P.Consensus.Blocks;
using P2P.Consensus.State;
using P2P.Networking.Core;
using P2P.Networking.Identity;
using P2P.Networking.RequestResponse;

namespace P2P.Consensus.Sync;

/// <summary>
/// <c>/p2pd/sync/1</c> (docs/protocol.md "Chain sync"): serves status, headers by block locator and bodies by hash,
/// and catches the local chain up with peers that have more work — headers first from the best peer, each checked
/// (linkage, nBits, work) before any body is asked for, then bodies from several peers in parallel, each checked
/// against its header and submitted in order as it arrives. A peer that serves invalid data is banned and its work
/// fetched elsewhere; one that times out or cannot serve is benched for a recheck interval. Everything runs on the
/// injected clock; every loop is bounded and cancellable.
/// </summary>
public sealed partial class ChainSynchronizer
{
    private readonly ChainState _chain;
    private readonly IRequestResponse<SyncRequest, SyncResponse> _protocol;
    private readonly Func<IReadOnlyCollection<PeerId>> _connectedPeers;
    private readonly IPeerReputation _reputation;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SyncOptions _options;
    private readonly object _gate = new();
    private readonly Dictionary<PeerId, SyncStatus> _statuses = [];
    private readonly Dictionary<PeerId, DateTimeOffset> _benched = [];
    private readonly HashSet<PeerId> _otherChain = [];
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SyncState _state = SyncState.Idle;
    private ulong _targetHeight;
    private long _blocksApplied;
    private long _bytesReceived;
    private DateTimeOffset _syncStartedAt;
    private long _bytesAtSyncStart;
    private long _blocksServed;
    private int _pendingHeaders;

    /// <param name="connectedPeers">The peers to poll (a daemon passes <c>() =&gt; host.ConnectedPeers</c>).</param>
    public ChainSynchronizer(ChainState chain, IRequestResponseFactory requestResponse, Func<IReadOnlyCollection<PeerId>> connectedPeers,
                             IPeerReputation reputation, TimeProvider time, ILogger logger, SyncOptions? options = null)
    {
        _options = options ?? new SyncOptions();
        _options.Validate();
        _chain = chain;
        _connectedPeers = connectedPeers;
        _reputation = reputation;
        _time = time;
        _logger = logger;
        _protocol = requestResponse.Create(SyncProtocol.Definition(chain.Genesis.MaxBlockBytes, _options));
    }

    public SyncOptions Options => _options;

    /// <summary>Raised after each block the synchronizer submitted was accepted (the pools clear what it includes).</summary>
    public event Action<Block, SubmitResult>? BlockApplied;

    /// <summary>Our side of the status exchange.</summary>
    public SyncStatus LocalStatus()
    {
        var head = _chain.Head;
        return new SyncStatus(_chain.ChainId, _chain.GenesisHash, head.Hash, head.Height, head.CumulativeWork);
    }

    public SyncProgress Progress
    {
        get
        {
            lock (_gate)
            {
                ulong current = _chain.Head.Height;
                var elapsed = (_time.GetUtcNow() - _syncStartedAt).TotalSeconds;
                double rate = _state == SyncState.Idle || elapsed <= 0 ? 0 : (_bytesReceived - _bytesAtSyncStart) / elapsed;
                return new SyncProgress(_state, current, Math.Max(current, _targetHeight), _statuses.Count, rate, _blocksApplied, _pendingHeaders);
            }
        }
    }

    /// <summary>Ends an idle wait now: a peer connected, or gossip showed a block we cannot place.</summary>
    public void Wake()
    {
        TaskCompletionSource wake;
        lock (_gate)
        {
            wake = _wake;
            _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        wake.TrySetResult();
    }

    /// <summary>Catches up with the peers, then idles and re-checks every <see cref="SyncOptions.RecheckInterval"/> (or on <see cref="Wake"/>) until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Task wake;
            lock (_gate) wake = _wake.Task;
            bool more;
            try
            {
                more = await SyncRoundAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not ChainCorruptException)
            {
                _logger.LogWarning(e, "sync round failed: {Reason}", e.Message);
                more = false;
            }
            if (more) continue;
            SetState(SyncState.Idle);
            try
            {
                await wake.WaitAsync(_options.RecheckInterval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The periodic re-check.
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }
        SetState(SyncState.Idle);
    }

    /// <summary>One pass: poll statuses, then download headers and bodies from the best peer ahead of us; false when nobody usable is ahead.</summary>
    private async Task<bool> SyncRoundAsync(CancellationToken cancellationToken)
    {
        SetState(SyncState.Polling);
        await PollAsync(cancellationToken).ConfigureAwait(false);
        var local = _chain.Head;
        var ahead = PeersAhead(local.CumulativeWork);
        lock (_gate) _targetHeight = ahead.Count == 0 ? local.Height : ahead.Max(p => p.Status.Height);
        if (ahead.Count == 0) return false;

        var (best, bestStatus) = ahead[0];
        SetState(SyncState.Headers);
        var pending = await DownloadHeadersAsync(best, bestStatus, cancellationToken).ConfigureAwait(false);
        if (pending is null)
        {
            lock (_gate) _pendingHeaders = 0;
            return true;
        }
        if (pending.Count == 0)
        {
            // It claims more work but has nothing after our chain's fork point for us.
            Bench(best, "announced more work but served no headers");
            return true;
        }
        SetState(SyncState.Bodies);
        lock (_gate) _pendingHeaders = pending.Count;
        try
        {
            await DownloadBodiesAsync(pending, best, ahead, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate) _pendingHeaders = 0;
        }
        // A peer that stays "ahead" while a whole round moves nothing would otherwise be asked again at once, for ever.
        if (_chain.Head.CumulativeWork <= local.CumulativeWork) Bench(best, "a sync round with it made no progress");
        return true;
    }

    private void SetState(SyncState state)
    {
        lock (_gate)
        {
            if (state != SyncState.Idle && _state is SyncState.Idle)
            {
                _syncStartedAt = _time.GetUtcNow();
                _bytesAtSyncStart = _bytesReceived;
            }
            _state = state;
        }
    }

    private void CountBytes(long bytes)
    {
        lock (_gate) _bytesReceived += bytes;
    }
}
