using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P2P.InferenceNetwork.Serving;
using P2P.Networking.Core;
using P2P.Networking.Identity;
using P2P.Networking.Multiformats;
using P2P.Networking.Pubsub;

namespace P2P.InferenceNetwork.Adverts;

/// <summary>
/// Publishes this node's adverts on <c>p2pd/nodes/1</c> every interval (each valid for three intervals) and soon after a
/// peer joins, validates everyone's before they are delivered or forwarded, and keeps the directory and the peer
/// store's addresses current.
/// </summary>
/// <remarks>
/// The early publish is for a node that has just (re)started: without it, its gateway would know no model for up to one
/// interval (30 s by default) and answer every request "model not found". It comes <see cref="JoinSettle"/> after the
/// join, once the newcomer's subscription is known, and at most once per <see cref="MinimumGap"/>, so connections
/// churning cannot make a node flood the topic.
/// </remarks>
public sealed class AdvertService : IAsyncDisposable
{
    public const string Topic = "p2pd/nodes/1";

    /// <summary>From a peer's arrival to the early publish: its subscription and a heartbeat's grafts come first.</summary>
    public static readonly TimeSpan JoinSettle = TimeSpan.FromSeconds(1);

    private readonly IP2PHost _host;
    private readonly ModelCatalog _catalog;
    private readonly InferenceDirectory _directory;
    private readonly TimeSpan _interval;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly ITopic _topic;
    private readonly SemaphoreSlim _peerJoined = new(0, 1);
    private Task? _publishing;
    private Task? _receiving;

    public AdvertService(IP2PHost host, IPubSub pubsub, ModelCatalog catalog, InferenceDirectory directory, TimeSpan interval, ILogger? log = null)
    {
        _host = host;
        _catalog = catalog;
        _directory = directory;
        _interval = interval;
        _log = log ?? NullLogger.Instance;
        _topic = pubsub.Join(Topic, new TopicOptions { Validator = ValidateAsync, MaxMessageSize = AdvertSigner.MaxBytes });
    }

    /// <summary>
    /// The least time between two publishes of this node's adverts: a fifth of the interval, within 2–10 s (under
    /// constant churn, at most 3 publishes per default 30 s interval instead of 1).
    /// </summary>
    public TimeSpan MinimumGap => TimeSpan.FromTicks(Math.Clamp(_interval.Ticks / 5, TimeSpan.FromSeconds(2).Ticks, TimeSpan.FromSeconds(10).Ticks));

    public void Start()
    {
        _host.PeerIdentified += OnPeerIdentified;
        var subscription = _topic.Subscribe();
        _receiving = ReceiveAsync(subscription, _stop.Token);
        _publishing = PublishLoopAsync(_stop.Token);
    }

    /// <summary>This node's current adverts, signed.</summary>
    public IReadOnlyList<CapabilityAdvert> OwnAdverts()
    {
        var now = _host.Time.GetUtcNow();
        var addresses = _host.ListenAddresses.Select(a => a.WithPeerId(_host.LocalPeerId).ToString()).Take(16).ToArray();
        return [.. _catalog.Models.Select(m => AdvertSigner.Sign(new CapabilityAdvert
        {
            ModelId = m.ModelId,
            Name = ModelNames.ShortName(m.Spec),
            Spec = m.Spec,
            Start = m.Range.Start,
            End = m.Range.End,
            NumLayers = m.Config.NumLayers,
            MaxPositions = m.Config.MaxPositions,
            Deterministic = m.Shard.Backend.Mode == Inference.Kernels.ComputeMode.Deterministic,
            TokensPerSecond = Math.Round(m.TokensPerSecond, 1),
            FreeSlots = m.FreeSlots,
            MaxSessions = m.MaxSessions,
            Addresses = addresses,
            IssuedAtMs = now.ToUnixTimeMilliseconds(),
            ExpiresAtMs = (now + 3 * _interval).ToUnixTimeMilliseconds(),
        }, _host.PrivateKey))];
    }

    private async Task PublishLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await PublishOwnAsync(cancellationToken).ConfigureAwait(false);
            var published = _host.Time.GetUtcNow();
            var regular = published + _interval;
            if (!await WaitForPeerAsync(regular, cancellationToken).ConfigureAwait(false)) continue;
            // A peer joined: publish once it has settled, but not before the gap since the last publish is over.
            var now = _host.Time.GetUtcNow();
            var early = Max(published + MinimumGap, now + JoinSettle);
            if (!await DelayAsync(Min(early, regular) - now, cancellationToken).ConfigureAwait(false)) return;
        }
    }

    private async Task PublishOwnAsync(CancellationToken cancellationToken)
    {
        foreach (var advert in OwnAdverts())
        {
            _directory.Add(advert);
            try
            {
                await _topic.PublishAsync(AdvertSigner.Encode(advert), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log.LogDebug("advert for {Model} not published: {Reason}", advert.Name, e.Message);
            }
        }
    }

    /// <summary>Waits until <paramref name="until"/> (false) or a peer joins before then (true).</summary>
    private async Task<bool> WaitForPeerAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timeout = DelayAsync(until - _host.Time.GetUtcNow(), either.Token);
        var joined = _peerJoined.WaitAsync(either.Token);
        var first = await Task.WhenAny(timeout, joined).ConfigureAwait(false);
        await either.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(timeout, joined.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)).ConfigureAwait(false);
        return first == joined && joined.IsCompletedSuccessfully;
    }

    /// <summary>A delay on the injected clock; false when cancelled.</summary>
    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero) return !cancellationToken.IsCancellationRequested;
        try
        {
            await Task.Delay(delay, _host.Time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private void OnPeerIdentified(IdentifyInfo info)
    {
        if (_stop.IsCancellationRequested) return;
        try
        {
            _peerJoined.Release();
        }
        catch (SemaphoreFullException)
        {
            // One pending signal covers every peer that joins before the next publish.
        }
    }

    private async Task ReceiveAsync(ISubscription subscription, CancellationToken cancellationToken)
    {
        await using var owned = ((IAsyncDisposable)subscription).ConfigureAwait(false);
        try
        {
            await foreach (var message in subscription.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var advert = AdvertSigner.Decode(message.Data.Span, _host.Time.GetUtcNow(), out _, out _);
                if (advert is null) continue;
                _directory.Add(advert);
                if (advert.PeerId != _host.LocalPeerId.ToString()) RememberAddresses(advert);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void RememberAddresses(CapabilityAdvert advert)
    {
        var peer = PeerId.Parse(advert.PeerId);
        var addresses = new List<Multiaddr>();
        foreach (var text in advert.Addresses)
            if (Multiaddr.TryParse(text, out var address) && address is not null) addresses.Add(address.WithoutPeerId());
        if (addresses.Count > 0) _host.Peers.AddAddresses(peer, addresses, 3 * _interval);
    }

    private ValueTask<ValidationResult> ValidateAsync(PubsubMessage message, CancellationToken cancellationToken)
    {
        var advert = AdvertSigner.Decode(message.Data.Span, _host.Time.GetUtcNow(), out var reason, out var expired);
        if (advert is null)
        {
            _log.LogDebug("advert from {Peer} dropped: {Reason}", message.From, reason);
            return ValueTask.FromResult(expired ? ValidationResult.Ignore : ValidationResult.Reject);
        }
        // The pubsub envelope is signed by its origin too: an advert travels only under its own node's name.
        return ValueTask.FromResult(message.From?.ToString() == advert.PeerId ? ValidationResult.Accept : ValidationResult.Reject);
    }

    public async ValueTask DisposeAsync()
    {
        _host.PeerIdentified -= OnPeerIdentified;
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var task in new[] { _publishing, _receiving })
        {
            if (task is null) continue;
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        _stop.Dispose();
        _peerJoined.Dispose();
    }
}
