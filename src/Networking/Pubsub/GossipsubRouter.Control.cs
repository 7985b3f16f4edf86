using Google.Protobuf;
using P2P.Networking.Identity;
using P2P.Networking.Pubsub.Protos;

namespace P2P.Networking.Pubsub;

public sealed partial class GossipsubRouter
{
    private readonly Dictionary<MessageId, Dictionary<PeerId, DateTimeOffset>> _promises = [];
    private readonly Dictionary<PeerId, int> _ihaveCount = [];
    private readonly Dictionary<PeerId, int> _iasked = [];
    private readonly Dictionary<PeerId, Dictionary<MessageId, long>> _dontSend = [];
    private readonly Dictionary<PeerId, int> _idontwantCount = [];
    private readonly Dictionary<PeerId, int> _iwantServed = [];

    private void HandleControl(PeerId source, ControlMessage control)
    {
        var batch = new OutboundBatch();
        HandleIHave(source, control, batch);
        HandleIWant(source, control, batch);
        HandleGraft(source, control, batch);
        HandlePrune(source, control);
        HandleIDontWant(source, control);
        batch.Flush(_transport, _peers.ContainsKey);
    }

    /// <summary>Tells 1.2 mesh peers at once (before validation) not to send us a large message we now have.</summary>
    private void SendIDontWant(PeerId source, string topic, MessageId id, int size)
    {
        if (size < _options.IDontWantMinDataSize || !_mesh.TryGetValue(topic, out var mesh))
        {
            return;
        }
        foreach (var peer in mesh)
        {
            if (peer != source && _peers[peer].Protocol == GossipProtocol.Meshsub12)
            {
                var idontwant = new ControlIDontWant();
                idontwant.MessageIDs.Add(ByteString.CopyFrom(id.Bytes));
                var rpc = new RPC { Control = new ControlMessage() };
                rpc.Control.Idontwant.Add(idontwant);
                _transport.Send(peer, rpc);
            }
        }
    }

    private void HandleIDontWant(PeerId source, ControlMessage control)
    {
        if (control.Idontwant.Count == 0)
        {
            return;
        }
        if (!_dontSend.TryGetValue(source, out var ids))
        {
            ids = [];
            _dontSend[source] = ids;
        }
        foreach (var raw in control.Idontwant.SelectMany(i => i.MessageIDs))
        {
            var count = _idontwantCount.GetValueOrDefault(source) + 1;
            if (count > _options.MaxIDontWantIds)
            {
                return;
            }
            _idontwantCount[source] = count;
            ids[new MessageId(raw.ToByteArray())] = _heartbeatTicks;
        }
    }

    private void ExpireIDontWant()
    {
        _idontwantCount.Clear();
        _iwantServed.Clear();
        foreach (var (peer, ids) in _dontSend.ToList())
        {
            foreach (var (id, tick) in ids.ToList())
            {
                if (_heartbeatTicks - tick >= _options.IDontWantHeartbeats)
                {
                    ids.Remove(id);
                }
            }
            if (ids.Count == 0 || !_peers.ContainsKey(peer))
            {
                _dontSend.Remove(peer);
            }
        }
    }

    private void HandleIHave(PeerId source, ControlMessage control, OutboundBatch batch)
    {
        if (control.Ihave.Count == 0 || _score.Score(source) < _options.Thresholds.GossipThreshold)
        {
            return;
        }
        var wanted = new List<MessageId>();
        var seenInRpc = new HashSet<MessageId>();
        foreach (var ihave in control.Ihave)
        {
            var advertisements = _ihaveCount.GetValueOrDefault(source) + 1;
            _ihaveCount[source] = advertisements;
            if (advertisements > _options.MaxIHaveMessages)
            {
                return;
            }
            if (!_mesh.ContainsKey(ihave.TopicID))
            {
                continue;
            }
            foreach (var raw in ihave.MessageIDs)
            {
                if (wanted.Count + _iasked.GetValueOrDefault(source) >= _options.MaxIHaveLength)
                {
                    break;
                }
                var id = new MessageId(raw.ToByteArray());
                if (seenInRpc.Add(id) && !_seen.Contains(id))
                {
                    wanted.Add(id);
                }
            }
        }
        if (wanted.Count == 0)
        {
            return;
        }
        _iasked[source] = _iasked.GetValueOrDefault(source) + wanted.Count;
        Shuffle(wanted);
        var iwant = new ControlIWant();
        iwant.MessageIDs.AddRange(wanted.Select(id => ByteString.CopyFrom(id.Bytes)));
        batch.ControlFor(source).Iwant.Add(iwant);
        // One tracked id per IHAVE is enough to catch a peer that advertises what it will not serve.
        var tracked = wanted[0];
        if (!_promises.TryGetValue(tracked, out var byPeer))
        {
            byPeer = [];
            _promises[tracked] = byPeer;
        }
        byPeer.TryAdd(source, _time.GetUtcNow() + _options.IWantFollowupTime);
    }

    private void HandleIWant(PeerId source, ControlMessage control, OutboundBatch batch)
    {
        if (control.Iwant.Count == 0 || _score.Score(source) < _options.Thresholds.GossipThreshold)
        {
            return;
        }
        var served = _iwantServed.GetValueOrDefault(source);
        foreach (var iwant in control.Iwant)
        {
            foreach (var raw in iwant.MessageIDs)
            {
                if (served >= _options.MaxIWantPerHeartbeat)
                {
                    _iwantServed[source] = served;
                    return;
                }
                var message = _cache.GetForPeer(new MessageId(raw.ToByteArray()), source, out var requests);
                if (message is null || requests > _options.GossipRetransmission)
                {
                    continue;
                }
                batch.For(source).Publish.Add(message);
                served++;
            }
        }
        _iwantServed[source] = served;
    }

    private void HandleGraft(PeerId source, ControlMessage control, OutboundBatch batch)
    {
        var state = _peers[source];
        var now = _time.GetUtcNow();
        foreach (var graft in control.Graft)
        {
            var topic = graft.TopicID;
            if (!_mesh.TryGetValue(topic, out var mesh) || mesh.Contains(source))
            {
                continue;
            }
            if (state.Direct)
            {
                batch.ControlFor(source).Prune.Add(MakePrune(source, topic, _options.PruneBackoff, exchangePeers: false));
                continue;
            }
            if (_backoff.TryGetValue(topic, out var backoffs) && backoffs.TryGetValue(source, out var until) && until > now)
            {
                _score.AddPenalty(source, 1);
                if (now < until - _options.PruneBackoff + _options.GraftFloodThreshold)
                {
                    _score.AddPenalty(source, 1);
                }
                batch.ControlFor(source).Prune.Add(MakePrune(source, topic, _options.PruneBackoff, exchangePeers: false));
                continue;
            }
            var score = _score.Score(source);
            if (score < 0)
            {
                batch.ControlFor(source).Prune.Add(MakePrune(source, topic, _options.PruneBackoff, exchangePeers: false));
                continue;
            }
            if (mesh.Count >= _options.DHigh && !state.Outbound)
            {
                batch.ControlFor(source).Prune.Add(MakePrune(source, topic, _options.PruneBackoff, exchangePeers: true));
                continue;
            }
            mesh.Add(source);
            _score.Graft(source, topic);
        }
    }

    private void HandlePrune(PeerId source, ControlMessage control)
    {
        foreach (var prune in control.Prune)
        {
            var topic = prune.TopicID;
            if (_mesh.TryGetValue(topic, out var mesh) && mesh.Remove(source))
            {
                _score.Prune(source, topic);
            }
            var backoff = prune.HasBackoff ? TimeSpan.FromSeconds(Math.Min(prune.Backoff, 3600)) : _options.PruneBackoff;
            AddBackoff(topic, source, backoff);
            if (prune.Peers.Count > 0 && _score.Score(source) >= _options.Thresholds.AcceptPXThreshold)
            {
                ExchangePeers(prune);
            }
        }
    }

    private void ExchangePeers(ControlPrune prune)
    {
        var offered = prune.Peers.ToList();
        Shuffle(offered);
        foreach (var info in offered.Take(_options.PrunePeers))
        {
            PeerId peer;
            try
            {
                peer = PeerId.FromBytes(info.PeerID.Span);
            }
            catch (FormatException)
            {
                continue;
            }
            if (peer != _identity.PeerId && !_peers.ContainsKey(peer))
            {
                _transport.Connect(peer, info.HasSignedPeerRecord ? info.SignedPeerRecord.ToByteArray() : null);
            }
        }
    }
}
