using Microsoft.Extensions.Logging;
using P2P.Networking.Core;
using P2P.Networking.Identity;

namespace P2P.Networking.Pubsub;

/// <summary>The pubsub service: a <see cref="GossipsubRouter"/> with its heartbeat timer and local subscriptions.</summary>
public sealed class Gossipsub : IPubSub, IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, List<Subscription>> _subscriptions = new(StringComparer.Ordinal);
    private readonly ITimer _heartbeat;
    private readonly ILogger? _log;
    private IAsyncDisposable? _ownedTransport;

    public Gossipsub(GossipsubOptions options, IPubsubIdentity identity, IPubsubTransport transport, TimeProvider time, Random random,
        MessageIdFunction? messageId = null, ILogger? logger = null)
    {
        _log = logger;
        Router = new GossipsubRouter(options, identity, transport, time, random, messageId, logger) { Delivered = Deliver };
        _heartbeat = time.CreateTimer(_ => RunHeartbeat(), null, options.HeartbeatInterval, options.HeartbeatInterval);
    }

    /// <summary>Gossipsub over a libp2p host's streams, signing with the host's key.</summary>
    public static Gossipsub Create(IP2PHost host, GossipsubOptions options, ILogger? logger = null, TimeProvider? time = null, Random? random = null)
    {
        var transport = new PubsubStreamTransport(host, options, logger);
        var pubsub = new Gossipsub(options, new PubsubIdentity(host.PrivateKey), transport, time ?? host.Time, random ?? new Random(), logger: logger)
        {
            _ownedTransport = transport,
        };
        transport.Attach(pubsub.Router);
        pubsub.Router.ApplicationScore = host.Reputation.ApplicationScore;
        return pubsub;
    }

    public GossipsubRouter Router { get; }

    public PeerId LocalPeer => Router.LocalPeer;

    /// <summary>How many messages a subscriber may fall behind before the oldest are dropped.</summary>
    public int SubscriptionCapacity { get; init; } = 16_384;

    public ISubscription Subscribe(string topic)
    {
        var subscription = new Subscription(topic, SubscriptionCapacity, Remove);
        bool first;
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(topic, out var list))
            {
                list = [];
                _subscriptions[topic] = list;
            }
            first = list.Count == 0;
            list.Add(subscription);
        }
        if (first)
        {
            Router.Subscribe(topic);
        }
        return subscription;
    }

    public ValueTask<PublishResult> PublishAsync(string topic, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var (id, peers) = Router.Publish(topic, data.Span);
        return ValueTask.FromResult(new PublishResult(id, peers));
    }

    public void RegisterValidator(string topic, MessageValidator validator) => Router.RegisterValidator(topic, validator);

    public ITopic Join(string topic, TopicOptions options)
    {
        if (options.MaxMessageSize is { } size)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
            if (size > Router.Options.MaxRpcSize)
            {
                throw new ArgumentException($"{topic}: a {size}-byte message limit needs a larger MaxRpcSize than {Router.Options.MaxRpcSize}", nameof(options));
            }
            Router.Options.MaxMessageSizeByTopic[topic] = size;
        }
        if (options.Score is { } score)
        {
            Router.Options.Score.Topics[topic] = score;
        }
        if (options.Validator is { } validator)
        {
            Router.RegisterValidator(topic, validator);
        }
        return new PubSubTopic(this, topic);
    }

    public IReadOnlyList<TopicView> Topics() => Router.Topics();

    public IReadOnlyList<PeerInfoView> Peers() => Router.Peers();

    public double GetScore(PeerId peer) => Router.GetScore(peer);

    public async ValueTask DisposeAsync()
    {
        await _heartbeat.DisposeAsync().ConfigureAwait(false);
        if (_ownedTransport is not null)
        {
            await _ownedTransport.DisposeAsync().ConfigureAwait(false);
        }
        List<Subscription> all;
        lock (_gate)
        {
            all = _subscriptions.Values.SelectMany(s => s).ToList();
        }
        foreach (var subscription in all)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void RunHeartbeat()
    {
        try
        {
            Router.Heartbeat();
        }
        catch (Exception e)
        {
            _log?.LogError(e, "gossipsub heartbeat failed");
        }
    }

    private void Deliver(PubsubMessage message)
    {
        lock (_gate)
        {
            if (_subscriptions.TryGetValue(message.Topic, out var list))
            {
                foreach (var subscription in list)
                {
                    subscription.Post(message);
                }
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        bool last;
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(subscription.Topic, out var list) || !list.Remove(subscription))
            {
                return;
            }
            last = list.Count == 0;
            if (last)
            {
                _subscriptions.Remove(subscription.Topic);
            }
        }
        if (last)
        {
            Router.Unsubscribe(subscription.Topic);
        }
    }
}
