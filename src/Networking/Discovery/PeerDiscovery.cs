using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P2P.Networking.Core;
using P2P.Networking.Identity;

namespace P2P.Networking.Discovery;

/// <summary>
/// Keeps the node connected to at least <see cref="KademliaOptions.TargetPeers"/> peers: a self-lookup at start,
/// random walks while short of peers and every refresh interval, and dials of peers learned from the DHT,
/// identify and peer exchange (all of which land in the peer store). The host's dial backoff paces re-dials of lost peers.
/// </summary>
public sealed class PeerDiscovery : IAsyncDisposable
{
    private readonly IP2PHost _host;
    private readonly KademliaDht _dht;
    private readonly KademliaOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public PeerDiscovery(IP2PHost host, KademliaDht dht, KademliaOptions options, TimeProvider? time = null, Random? random = null, ILogger? logger = null)
    {
        _host = host;
        _dht = dht;
        _options = options;
        _time = time ?? host.Time;
        _random = random ?? new Random();
        _log = logger ?? NullLogger.Instance;
    }

    public void Start() => _loop = Task.Run(() => RunAsync(_stopping.Token));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One round: look up (self or random key) and dial until the target peer count is reached.</summary>
    public async Task RoundAsync(bool selfLookup, CancellationToken cancellationToken)
    {
        var found = selfLookup
            ? await _dht.SelfLookupAsync(cancellationToken).ConfigureAwait(false)
            : await _dht.RandomWalkAsync(_random, cancellationToken).ConfigureAwait(false);
        var connected = _host.ConnectedPeers.ToHashSet();
        var missing = _options.TargetPeers - connected.Count;
        if (missing <= 0)
        {
            return;
        }
        var candidates = found.Concat(_dht.Table.All()).Concat(_host.Peers.Peers)
            .Where(p => p != _host.LocalPeerId && !connected.Contains(p) && _host.Peers.GetAddresses(p).Count > 0)
            .Distinct()
            .ToList();
        for (var i = candidates.Count - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (candidates[i], candidates[j]) = (candidates[j], candidates[i]);
        }
        await Task.WhenAll(candidates.Take(missing).Select(p => DialAsync(p, cancellationToken))).ConfigureAwait(false);
    }

    private async Task DialAsync(PeerId peer, CancellationToken cancellationToken)
    {
        using var timeout = new Deadline(_time, _options.QueryTimeout, cancellationToken);
        try
        {
            await _host.DialAsync(peer, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _log.LogDebug("discovery dial to {Peer} failed: {Reason}", peer, e.Message);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var lastWalk = _time.GetUtcNow();
        var first = true;
        using var timer = new PeriodicTimer(_options.DiscoveryInterval, _time);
        do
        {
            try
            {
                var now = _time.GetUtcNow();
                var due = now - lastWalk >= _options.RefreshInterval;
                if (first || due || _host.ConnectedPeers.Count < _options.TargetPeers)
                {
                    await RoundAsync(selfLookup: first, cancellationToken).ConfigureAwait(false);
                    lastWalk = now;
                    first = _dht.Table.Count == 0; // the self-lookup is retried until someone answered
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log.LogWarning(e, "discovery round failed");
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }
}
