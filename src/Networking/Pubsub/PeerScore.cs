using P2P.Networking.Identity;

namespace P2P.Networking.Pubsub;

/// <summary>Gossipsub v1.1 peer scoring (P1–P7 with decay and retention), driven by router events and an injected clock.</summary>
public sealed class PeerScore
{
    private readonly PeerScoreParams _params;
    private readonly TimeProvider _time;
    private readonly TimeSpan _recordTtl;
    private readonly Dictionary<PeerId, PeerScoreStats> _peers = [];
    private readonly Dictionary<string, HashSet<PeerId>> _peersByIp = new(StringComparer.Ordinal);
    private readonly Dictionary<MessageId, DeliveryRecord> _deliveries = [];
    private readonly Queue<(MessageId Id, DateTimeOffset Expiry)> _deliveryOrder = new();

    public PeerScore(PeerScoreParams parameters, TimeProvider time, TimeSpan recordTtl)
    {
        _params = parameters;
        _time = time;
        _recordTtl = recordTtl;
    }

    internal int DeliveryRecordCount => _deliveries.Count;

    /// <summary>The application-specific score (P5) by peer, e.g. from the host's reputation; used instead of <see cref="PeerScoreParams.AppSpecificScore"/> when set.</summary>
    public Func<PeerId, double>? ApplicationScore { get; set; }

    public void AddPeer(PeerId peer, string? ip)
    {
        if (!_peers.TryGetValue(peer, out var stats))
        {
            stats = new PeerScoreStats();
            _peers[peer] = stats;
        }
        stats.Connected = true;
        SetIp(peer, stats, ip);
    }

    public void RemovePeer(PeerId peer)
    {
        if (!_peers.TryGetValue(peer, out var stats))
        {
            return;
        }
        if (Score(peer) > 0)
        {
            // A positive score is not worth keeping: only penalties must survive a reconnect.
            SetIp(peer, stats, null);
            _peers.Remove(peer);
            return;
        }
        foreach (var (topic, topicStats) in stats.Topics)
        {
            if (topicStats.InMesh)
            {
                ApplyMeshFailure(topic, topicStats);
                topicStats.InMesh = false;
            }
            topicStats.FirstMessageDeliveries = 0;
        }
        stats.Connected = false;
        stats.ExpireAt = _time.GetUtcNow() + _params.RetainScore;
    }

    public void Graft(PeerId peer, string topic)
    {
        var topicStats = TopicStatsOf(peer, topic);
        if (topicStats is null)
        {
            return;
        }
        topicStats.InMesh = true;
        topicStats.GraftTime = _time.GetUtcNow();
        topicStats.MeshDeliveriesActive = false;
    }

    public void Prune(PeerId peer, string topic)
    {
        var topicStats = TopicStatsOf(peer, topic);
        if (topicStats is null || !topicStats.InMesh)
        {
            return;
        }
        ApplyMeshFailure(topic, topicStats);
        topicStats.InMesh = false;
    }

    /// <summary>A new message entered validation: open its delivery record.</summary>
    public void ValidateMessage(MessageId id)
    {
        if (!_deliveries.ContainsKey(id))
        {
            var now = _time.GetUtcNow();
            _deliveries[id] = new DeliveryRecord(now);
            _deliveryOrder.Enqueue((id, now + _recordTtl));
        }
    }

    /// <summary>The message from <paramref name="from"/> was accepted: first-delivery credit, and mesh credit to those who sent it while it was validated.</summary>
    public void DeliverMessage(PeerId from, MessageId id, string topic)
    {
        MarkFirstDelivery(from, topic);
        var record = RecordOf(id);
        if (record.Status != DeliveryRecord.State.Pending)
        {
            return;
        }
        record.Status = DeliveryRecord.State.Valid;
        record.Validated = _time.GetUtcNow();
        foreach (var peer in record.Peers)
        {
            if (peer != from)
            {
                MarkDuplicate(peer, topic, record.FirstSeen);
            }
        }
    }

    /// <summary>The application rejected the message: penalise its sender and every peer that sent it during validation.</summary>
    public void RejectMessage(PeerId from, MessageId id, string topic)
    {
        var record = RecordOf(id);
        if (record.Status != DeliveryRecord.State.Pending)
        {
            return;
        }
        record.Status = DeliveryRecord.State.Invalid;
        MarkInvalid(from, topic);
        foreach (var peer in record.Peers)
        {
            MarkInvalid(peer, topic);
        }
        record.Peers.Clear();
    }

    /// <summary>A message that fails before an id can be trusted (bad signature, oversize) penalises only its sender.</summary>
    public void RejectInvalid(PeerId from, string topic) => MarkInvalid(from, topic);

    public void IgnoreMessage(MessageId id)
    {
        var record = RecordOf(id);
        if (record.Status == DeliveryRecord.State.Pending)
        {
            record.Status = DeliveryRecord.State.Ignored;
            record.Peers.Clear();
        }
    }

    public void DuplicateMessage(PeerId from, MessageId id, string topic)
    {
        var record = RecordOf(id);
        if (record.Peers.Contains(from))
        {
            return;
        }
        switch (record.Status)
        {
            case DeliveryRecord.State.Pending:
                record.Peers.Add(from);
                break;
            case DeliveryRecord.State.Valid:
                record.Peers.Add(from);
                MarkDuplicate(from, topic, record.Validated);
                break;
            case DeliveryRecord.State.Invalid:
                MarkInvalid(from, topic);
                break;
            case DeliveryRecord.State.Ignored:
                break;
        }
    }

    /// <summary>Adds P7 behaviour penalty (broken IWANT promises, GRAFT during backoff).</summary>
    public void AddPenalty(PeerId peer, int count)
    {
        if (_peers.TryGetValue(peer, out var stats))
        {
            stats.BehaviourPenalty += count;
        }
    }

    public double Score(PeerId peer)
    {
        if (!_peers.TryGetValue(peer, out var stats))
        {
            return 0;
        }
        var now = _time.GetUtcNow();
        var score = 0.0;
        foreach (var (topic, topicStats) in stats.Topics)
        {
            if (!_params.Topics.TryGetValue(topic, out var p))
            {
                continue;
            }
            var topicScore = 0.0;
            if (topicStats.InMesh)
            {
                var quanta = (now - topicStats.GraftTime) / p.TimeInMeshQuantum;
                topicScore += p.TimeInMeshWeight * Math.Min(quanta, p.TimeInMeshCap);
            }
            topicScore += p.FirstMessageDeliveriesWeight * topicStats.FirstMessageDeliveries;
            if (topicStats.InMesh && (topicStats.MeshDeliveriesActive || now - topicStats.GraftTime >= p.MeshMessageDeliveriesActivation))
            {
                topicStats.MeshDeliveriesActive = true;
                if (topicStats.MeshMessageDeliveries < p.MeshMessageDeliveriesThreshold)
                {
                    var deficit = p.MeshMessageDeliveriesThreshold - topicStats.MeshMessageDeliveries;
                    topicScore += p.MeshMessageDeliveriesWeight * deficit * deficit;
                }
            }
            topicScore += p.MeshFailurePenaltyWeight * topicStats.MeshFailurePenalty;
            topicScore += p.InvalidMessageDeliveriesWeight * topicStats.InvalidMessageDeliveries * topicStats.InvalidMessageDeliveries;
            score += p.TopicWeight * topicScore;
        }
        if (_params.TopicScoreCap > 0 && score > _params.TopicScoreCap)
        {
            score = _params.TopicScoreCap;
        }
        if (ApplicationScore is { } byPeer)
        {
            score += _params.AppSpecificWeight * byPeer(peer);
        }
        else if (_params.AppSpecificScore is { } app)
        {
            score += _params.AppSpecificWeight * app(peer.ToString());
        }
        if (_params.IPColocationFactorWeight != 0 && stats.Ip is { } ip && !_params.IPColocationFactorWhitelist.Contains(ip)
            && _peersByIp.TryGetValue(ip, out var sharing))
        {
            var surplus = sharing.Count - _params.IPColocationFactorThreshold;
            if (surplus > 0)
            {
                score += _params.IPColocationFactorWeight * surplus * surplus;
            }
        }
        var excess = stats.BehaviourPenalty - _params.BehaviourPenaltyThreshold;
        if (excess > 0)
        {
            score += _params.BehaviourPenaltyWeight * excess * excess;
        }
        return score;
    }

    /// <summary>Decays every counter once (called every DecayInterval) and forgets expired peers and delivery records.</summary>
    public void Decay()
    {
        var now = _time.GetUtcNow();
        var expired = new List<PeerId>();
        foreach (var (peer, stats) in _peers)
        {
            if (!stats.Connected)
            {
                if (stats.ExpireAt <= now)
                {
                    expired.Add(peer);
                }
                continue;
            }
            foreach (var (topic, t) in stats.Topics)
            {
                if (!_params.Topics.TryGetValue(topic, out var p))
                {
                    continue;
                }
                t.FirstMessageDeliveries = DecayValue(t.FirstMessageDeliveries, p.FirstMessageDeliveriesDecay);
                t.MeshMessageDeliveries = DecayValue(t.MeshMessageDeliveries, p.MeshMessageDeliveriesDecay);
                t.MeshFailurePenalty = DecayValue(t.MeshFailurePenalty, p.MeshFailurePenaltyDecay);
                t.InvalidMessageDeliveries = DecayValue(t.InvalidMessageDeliveries, p.InvalidMessageDeliveriesDecay);
            }
            stats.BehaviourPenalty = DecayValue(stats.BehaviourPenalty, _params.BehaviourPenaltyDecay);
        }
        foreach (var peer in expired)
        {
            SetIp(peer, _peers[peer], null);
            _peers.Remove(peer);
        }
        while (_deliveryOrder.TryPeek(out var head) && head.Expiry <= now)
        {
            _deliveryOrder.Dequeue();
            _deliveries.Remove(head.Id);
        }
    }

    private double DecayValue(double value, double decay)
    {
        value *= decay;
        return value < _params.DecayToZero ? 0 : value;
    }

    private DeliveryRecord RecordOf(MessageId id)
    {
        if (!_deliveries.TryGetValue(id, out var record))
        {
            ValidateMessage(id);
            record = _deliveries[id];
        }
        return record;
    }

    private PeerScoreStats.TopicStats? TopicStatsOf(PeerId peer, string topic)
    {
        if (!_params.Topics.ContainsKey(topic) || !_peers.TryGetValue(peer, out var stats))
        {
            return null;
        }
        if (!stats.Topics.TryGetValue(topic, out var topicStats))
        {
            topicStats = new PeerScoreStats.TopicStats();
            stats.Topics[topic] = topicStats;
        }
        return topicStats;
    }

    private void MarkFirstDelivery(PeerId peer, string topic)
    {
        if (TopicStatsOf(peer, topic) is not { } t)
        {
            return;
        }
        var p = _params.Topics[topic];
        t.FirstMessageDeliveries = Math.Min(t.FirstMessageDeliveries + 1, p.FirstMessageDeliveriesCap);
        if (t.InMesh)
        {
            t.MeshMessageDeliveries = Math.Min(t.MeshMessageDeliveries + 1, p.MeshMessageDeliveriesCap);
        }
    }

    private void MarkDuplicate(PeerId peer, string topic, DateTimeOffset validated)
    {
        if (TopicStatsOf(peer, topic) is not { InMesh: true } t)
        {
            return;
        }
        var p = _params.Topics[topic];
        if (_time.GetUtcNow() - validated <= p.MeshMessageDeliveriesWindow)
        {
            t.MeshMessageDeliveries = Math.Min(t.MeshMessageDeliveries + 1, p.MeshMessageDeliveriesCap);
        }
    }

    private void MarkInvalid(PeerId peer, string topic)
    {
        if (TopicStatsOf(peer, topic) is { } t)
        {
            t.InvalidMessageDeliveries += 1;
        }
    }

    private void ApplyMeshFailure(string topic, PeerScoreStats.TopicStats t)
    {
        var p = _params.Topics[topic];
        var active = t.MeshDeliveriesActive || _time.GetUtcNow() - t.GraftTime >= p.MeshMessageDeliveriesActivation;
        if (active && t.MeshMessageDeliveries < p.MeshMessageDeliveriesThreshold)
        {
            var deficit = p.MeshMessageDeliveriesThreshold - t.MeshMessageDeliveries;
            t.MeshFailurePenalty += deficit * deficit;
        }
    }

    private void SetIp(PeerId peer, PeerScoreStats stats, string? ip)
    {
        if (stats.Ip is { } old && _peersByIp.TryGetValue(old, out var set))
        {
            set.Remove(peer);
            if (set.Count == 0)
            {
                _peersByIp.Remove(old);
            }
        }
        stats.Ip = ip;
        if (ip is not null)
        {
            if (!_peersByIp.TryGetValue(ip, out var peers))
            {
                peers = [];
                _peersByIp[ip] = peers;
            }
            peers.Add(peer);
        }
    }
}
