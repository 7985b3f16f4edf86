using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P2P.Networking.Identity;
using P2P.Networking.Pubsub.Protos;

namespace P2P.Networking.Pubsub;

/// <summary>
/// The gossipsub v1.1 router as a state machine: peers, subscriptions, mesh, fanout, gossip and scoring.
/// Every entry point takes one lock; time and randomness are injected so tests drive it deterministically.
/// </summary>
public sealed partial class GossipsubRouter
{
    private sealed class PeerState(GossipProtocol protocol, bool outbound, bool direct)
    {
        public GossipProtocol Protocol { get; } = protocol;
        public bool Outbound { get; } = outbound;
        public bool Direct { get; } = direct;
        public HashSet<string> Topics { get; } = new(StringComparer.Ordinal);
    }

    private readonly object _gate = new();
    private readonly GossipsubOptions _options;
    private readonly IPubsubIdentity _identity;
    private readonly IPubsubTransport _transport;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _log;
    private readonly MessageIdFunction _messageId;
    private readonly Dictionary<PeerId, PeerState> _peers = [];
    private readonly Dictionary<string, HashSet<PeerId>> _topicPeers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<PeerId>> _mesh = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<PeerId>> _fanout = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _fanoutLastPublished = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<PeerId, DateTimeOffset>> _backoff = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MessageValidator> _validators = new(StringComparer.Ordinal);
    private readonly MessageCache _cache;
    private readonly SeenCache _seen;
    private readonly PeerScore _score;
    private readonly SemaphoreSlim _validationSlots;
    private ulong _sequenceNumber;
    private long _heartbeatTicks;
    private DateTimeOffset _lastDecay;
    private long _duplicates;

    public GossipsubRouter(
        GossipsubOptions options,
        IPubsubIdentity identity,
        IPubsubTransport transport,
        TimeProvider time,
        Random random,
        MessageIdFunction? messageId = null,
        ILogger? logger = null)
    {
        _options = options;
        _identity = identity;
        _transport = transport;
        _time = time;
        _random = random;
        _log = logger ?? NullLogger.Instance;
        _messageId = messageId ?? MessageIds.JsDefault;
        _cache = new MessageCache(options.HistoryGossip, options.HistoryLength);
        _seen = new SeenCache(time, options.SeenTtl);
        _score = new PeerScore(options.Score, time, options.SeenTtl);
        _validationSlots = new SemaphoreSlim(options.ValidationQueueSize, options.ValidationQueueSize);
        // Seqnos start from the clock so that a restarted node never reuses a (key, seqno) message id.
        _sequenceNumber = (ulong)time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        _lastDecay = time.GetUtcNow();
    }

    /// <summary>Raised (under the router lock, so it must not block) for every message delivered to a local subscription.</summary>
    public Action<PubsubMessage>? Delivered { get; set; }

    public PeerId LocalPeer => _identity.PeerId;

    /// <summary>The application-specific score (P5) by peer, e.g. the host's <see cref="Core.IPeerReputation"/>.</summary>
    public Func<PeerId, double>? ApplicationScore
    {
        get => _score.ApplicationScore;
        set
        {
            lock (_gate)
            {
                _score.ApplicationScore = value;
            }
        }
    }

    public GossipsubOptions Options => _options;

    /// <summary>
    /// A peer opened pubsub with us. Our subscriptions reach it as the first RPC of each outbound stream the
    /// transport opens (<see cref="SubscriptionAnnouncement"/>), not from here.
    /// </summary>
    public void AddPeer(PeerId peer, GossipProtocol protocol, bool outbound, string? ip = null)
    {
        lock (_gate)
        {
            if (_peers.ContainsKey(peer))
            {
                return;
            }
            _peers[peer] = new PeerState(protocol, outbound, _options.DirectPeers.Contains(peer.ToString()));
            _score.AddPeer(peer, ip);
        }
    }

    /// <summary>Our subscriptions as one RPC (null when there are none): the first RPC of each new outbound stream.</summary>
    public RPC? SubscriptionAnnouncement()
    {
        lock (_gate)
        {
            if (_mesh.Count == 0)
            {
                return null;
            }
            var hello = new RPC();
            foreach (var topic in _mesh.Keys)
            {
                hello.Subscriptions.Add(new SubOpts { Subscribe = true, Topicid = topic });
            }
            return hello;
        }
    }

    public void RemovePeer(PeerId peer)
    {
        lock (_gate)
        {
            if (!_peers.Remove(peer, out var state))
            {
                return;
            }
            foreach (var topic in state.Topics)
            {
                RemoveFromTopic(peer, topic);
            }
            _dontSend.Remove(peer);
            _score.RemovePeer(peer);
        }
    }

    /// <summary>Joins the topic's mesh (fanout peers first), grafting up to D peers.</summary>
    public void Subscribe(string topic)
    {
        lock (_gate)
        {
            if (_mesh.ContainsKey(topic))
            {
                return;
            }
            foreach (var peer in _peers.Keys)
            {
                var rpc = new RPC();
                rpc.Subscriptions.Add(new SubOpts { Subscribe = true, Topicid = topic });
                _transport.Send(peer, rpc);
            }
            var mesh = new HashSet<PeerId>();
            if (_fanout.Remove(topic, out var fanout))
            {
                _fanoutLastPublished.Remove(topic);
                foreach (var peer in fanout.Where(p => _score.Score(p) >= 0 && !InBackoff(topic, p)).Take(_options.D))
                {
                    mesh.Add(peer);
                }
            }
            if (mesh.Count < _options.D)
            {
                foreach (var peer in SelectPeers(topic, _options.D - mesh.Count, p => !mesh.Contains(p) && IsMeshCandidate(topic, p)))
                {
                    mesh.Add(peer);
                }
            }
            _mesh[topic] = mesh;
            var batch = new OutboundBatch();
            foreach (var peer in mesh)
            {
                _score.Graft(peer, topic);
                batch.ControlFor(peer).Graft.Add(new ControlGraft { TopicID = topic });
            }
            batch.Flush(_transport, _peers.ContainsKey);
        }
    }

    /// <summary>Leaves the topic: PRUNEs the mesh with the unsubscribe backoff.</summary>
    public void Unsubscribe(string topic)
    {
        lock (_gate)
        {
            if (!_mesh.Remove(topic, out var mesh))
            {
                return;
            }
            foreach (var peer in _peers.Keys)
            {
                var rpc = new RPC();
                rpc.Subscriptions.Add(new SubOpts { Subscribe = false, Topicid = topic });
                _transport.Send(peer, rpc);
            }
            var batch = new OutboundBatch();
            foreach (var peer in mesh)
            {
                _score.Prune(peer, topic);
                batch.ControlFor(peer).Prune.Add(MakePrune(peer, topic, _options.UnsubscribeBackoff, exchangePeers: true));
            }
            batch.Flush(_transport, _peers.ContainsKey);
        }
    }

    public void RegisterValidator(string topic, MessageValidator validator)
    {
        lock (_gate)
        {
            _validators[topic] = validator;
        }
    }

    public void UnregisterValidator(string topic)
    {
        lock (_gate)
        {
            _validators.Remove(topic);
        }
    }

    public double GetScore(PeerId peer)
    {
        lock (_gate)
        {
            return _score.Score(peer);
        }
    }

    public IReadOnlyList<PeerId> MeshPeers(string topic)
    {
        lock (_gate)
        {
            return _mesh.TryGetValue(topic, out var mesh) ? mesh.ToList() : [];
        }
    }

    public IReadOnlyList<PeerId> TopicPeers(string topic)
    {
        lock (_gate)
        {
            return _topicPeers.TryGetValue(topic, out var peers) ? peers.ToList() : [];
        }
    }

    public IReadOnlyList<PeerInfoView> Peers()
    {
        lock (_gate)
        {
            return _peers.Select(p => new PeerInfoView(p.Key.ToString(), ProtocolId(p.Value.Protocol), p.Value.Outbound,
                p.Value.Topics.Order(StringComparer.Ordinal).ToList(), _score.Score(p.Key))).ToList();
        }
    }

    public IReadOnlyList<TopicView> Topics()
    {
        lock (_gate)
        {
            var names = _topicPeers.Keys.Union(_mesh.Keys).Union(_fanout.Keys).Distinct().OrderBy(t => t, StringComparer.Ordinal);
            return names.Select(t => new TopicView(
                t,
                _mesh.ContainsKey(t),
                _topicPeers.TryGetValue(t, out var peers) ? peers.Count : 0,
                _mesh.TryGetValue(t, out var mesh) ? mesh.Select(p => p.ToString()).ToList() : [],
                _fanout.TryGetValue(t, out var fanout) ? fanout.Select(p => p.ToString()).ToList() : [])).ToList();
        }
    }

    /// <summary>Messages received again after their first copy (the cost of redundancy in the mesh).</summary>
    public long DuplicateMessages => Interlocked.Read(ref _duplicates);

    internal int SeenCount { get { lock (_gate) { return _seen.Count; } } }

    internal int PromiseCount { get { lock (_gate) { return _promises.Count; } } }

    internal int DeliveryRecordCount { get { lock (_gate) { return _score.DeliveryRecordCount; } } }

    internal bool IsBackedOff(string topic, PeerId peer)
    {
        lock (_gate)
        {
            return InBackoff(topic, peer);
        }
    }

    private static string ProtocolId(GossipProtocol protocol) => protocol switch
    {
        GossipProtocol.Meshsub10 => "/meshsub/1.0.0",
        GossipProtocol.Meshsub12 => "/meshsub/1.2.0",
        _ => "/meshsub/1.1.0",
    };

    private bool IsMeshCandidate(string topic, PeerId peer) =>
        _peers.TryGetValue(peer, out var state) && !state.Direct && !InBackoff(topic, peer) && _score.Score(peer) >= 0;

    /// <summary>Whether we may not GRAFT the peer yet: its backoff plus slack, so that a late clock never earns us a penalty.</summary>
    private bool InBackoff(string topic, PeerId peer) =>
        _backoff.TryGetValue(topic, out var peers) && peers.TryGetValue(peer, out var until) && until + _options.BackoffSlack > _time.GetUtcNow();

    private void AddBackoff(string topic, PeerId peer, TimeSpan duration)
    {
        if (!_backoff.TryGetValue(topic, out var peers))
        {
            peers = [];
            _backoff[topic] = peers;
        }
        var until = _time.GetUtcNow() + duration;
        if (!peers.TryGetValue(peer, out var existing) || existing < until)
        {
            peers[peer] = until;
        }
    }

    private void RemoveFromTopic(PeerId peer, string topic)
    {
        if (_topicPeers.TryGetValue(topic, out var peers))
        {
            peers.Remove(peer);
            if (peers.Count == 0)
            {
                _topicPeers.Remove(topic);
            }
        }
        if (_mesh.TryGetValue(topic, out var mesh) && mesh.Remove(peer))
        {
            _score.Prune(peer, topic);
        }
        if (_fanout.TryGetValue(topic, out var fanout))
        {
            fanout.Remove(peer);
        }
    }

    /// <summary>Up to <paramref name="count"/> random gossipsub peers of the topic that pass the filter.</summary>
    private List<PeerId> SelectPeers(string topic, int count, Func<PeerId, bool> filter)
    {
        if (count <= 0 || !_topicPeers.TryGetValue(topic, out var peers))
        {
            return [];
        }
        var candidates = peers.Where(filter).ToList();
        Shuffle(candidates);
        if (candidates.Count > count)
        {
            candidates.RemoveRange(count, candidates.Count - count);
        }
        return candidates;
    }

    private void Shuffle<T>(List<T> list)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    private ControlPrune MakePrune(PeerId peer, string topic, TimeSpan backoff, bool exchangePeers)
    {
        AddBackoff(topic, peer, backoff);
        var prune = new ControlPrune { TopicID = topic };
        if (_peers.TryGetValue(peer, out var state) && state.Protocol == GossipProtocol.Meshsub10)
        {
            return prune;
        }
        prune.Backoff = (ulong)Math.Ceiling(backoff.TotalSeconds);
        if (exchangePeers && _options.DoPeerExchange)
        {
            foreach (var other in SelectPeers(topic, _options.PrunePeers, p => p != peer && _score.Score(p) >= 0))
            {
                prune.Peers.Add(new PeerInfo { PeerID = Google.Protobuf.ByteString.CopyFrom(other.Bytes) });
            }
        }
        return prune;
    }
}
