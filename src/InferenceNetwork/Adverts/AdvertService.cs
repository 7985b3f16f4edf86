using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P2P.InferenceNetwork.Serving;
using P2P.Networking.Core;
using P2P.Networking.Identity;
using P2P.Networking.Multiformats;
using P2P.Networking.Pubsub;

namespace P2P.InferenceNetwork.Adverts;

/// <summary>
/// Publishes this node's adverts on <c>p2pd/nodes/1</c> every interval (each valid for three intervals), validates
/// everyone's before they are delivered or forwarded, and keeps the directory and the peer store's addresses current.
/// </summary>
public sealed class AdvertService : IAsyncDisposable
{
    public const string Topic = "p2pd/nodes/1";

    private readonly IP2PHost _host;
    private readonly ModelCatalog _catalog;
    private readonly InferenceDirectory _directory;
    private readonly TimeSpan _interval;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly ITopic _topic;
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

    public void Start()
    {
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
        using var timer = new PeriodicTimer(_interval, _host.Time);
        do
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
        while (await WaitAsync(timer, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
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
    }
}
