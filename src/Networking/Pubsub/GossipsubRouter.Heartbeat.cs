using Google.Protobuf;
using P2P.Networking.Identity;
using P2P.Networking.Pubsub.Protos;

namespace P2P.Networking.Pubsub;

public sealed partial class GossipsubRouter
{
    /// <summary>One heartbeat: score decay, broken promises, mesh and fanout maintenance, gossip, cache shift.</summary>
    public void Heartbeat()
    {
        lock (_gate)
        {
            _heartbeatTicks++;
            var now = _time.GetUtcNow();
            while (now - _lastDecay >= _options.Score.DecayInterval)
            {
                _score.Decay();
                _lastDecay += _options.Score.DecayInterval;
            }
            _ihaveCount.Clear();
            _iasked.Clear();
            ExpireIDontWant();
            PenaliseBrokenPromises(now);
            ClearExpiredBackoff(now);
            var batch = new OutboundBatch();
            foreach (var (topic, mesh) in _mesh)
            {
                MaintainMesh(topic, mesh, batch);
                EmitGossip(topic, mesh, batch);
            }
            MaintainFanout(now, batch);
            batch.Flush(_transport, _peers.ContainsKey);
            _cache.Shift();
            _seen.Prune();
        }
    }

    private void MaintainMesh(string topic, HashSet<PeerId> mesh, OutboundBatch batch)
    {
        foreach (var peer in mesh.Where(p => _score.Score(p) < 0).ToList())
        {
            PruneFromMesh(topic, mesh, peer, batch, exchangePeers: false);
        }
        if (mesh.Count < _options.DLow)
        {
            foreach (var peer in SelectPeers(topic, _options.D - mesh.Count, p => !mesh.Contains(p) && IsMeshCandidate(topic, p)))
            {
                GraftToMesh(topic, mesh, peer, batch);
            }
        }
        if (mesh.Count > _options.DHigh)
        {
            ShrinkMesh(topic, mesh, batch);
        }
        if (mesh.Count >= _options.DLow)
        {
            var outbound = mesh.Count(p => _peers[p].Outbound);
            if (outbound < _options.DOut)
            {
                foreach (var peer in SelectPeers(topic, _options.DOut - outbound, p => !mesh.Contains(p) && _peers[p].Outbound && IsMeshCandidate(topic, p)))
                {
                    GraftToMesh(topic, mesh, peer, batch);
                }
            }
        }
        if (_options.OpportunisticGraftTicks > 0 && _heartbeatTicks % _options.OpportunisticGraftTicks == 0 && mesh.Count > 1)
        {
            var scores = mesh.Select(_score.Score).OrderBy(s => s).ToList();
            var median = scores[scores.Count / 2];
            if (median < _options.Thresholds.OpportunisticGraftThreshold)
            {
                foreach (var peer in SelectPeers(topic, _options.OpportunisticGraftPeers, p => !mesh.Contains(p) && IsMeshCandidate(topic, p) && _score.Score(p) > median))
                {
                    GraftToMesh(topic, mesh, peer, batch);
                }
            }
        }
    }

    /// <summary>Keeps the best D_score peers by score, fills to D at random while keeping D_out outbound peers, prunes the rest.</summary>
    private void ShrinkMesh(string topic, HashSet<PeerId> mesh, OutboundBatch batch)
    {
        var peers = mesh.ToList();
        Shuffle(peers);
        peers.Sort((a, b) => _score.Score(b).CompareTo(_score.Score(a)));
        var rest = peers.Skip(_options.DScore).ToList();
        Shuffle(rest);
        var keep = peers.Take(_options.DScore).Concat(rest).Take(_options.D).ToList();
        var outboundKept = keep.Count(p => _peers[p].Outbound);
        if (outboundKept < _options.DOut)
        {
            var spareOutbound = peers.Except(keep).Where(p => _peers[p].Outbound).Take(_options.DOut - outboundKept).ToList();
            for (var i = keep.Count - 1; i >= 0 && spareOutbound.Count > 0; i--)
            {
                if (!_peers[keep[i]].Outbound)
                {
                    keep[i] = spareOutbound[^1];
                    spareOutbound.RemoveAt(spareOutbound.Count - 1);
                }
            }
        }
        foreach (var peer in peers.Except(keep))
        {
            PruneFromMesh(topic, mesh, peer, batch, exchangePeers: true);
        }
    }

    private void GraftToMesh(string topic, HashSet<PeerId> mesh, PeerId peer, OutboundBatch batch)
    {
        mesh.Add(peer);
        _score.Graft(peer, topic);
        batch.ControlFor(peer).Graft.Add(new ControlGraft { TopicID = topic });
    }

    private void PruneFromMesh(string topic, HashSet<PeerId> mesh, PeerId peer, OutboundBatch batch, bool exchangePeers)
    {
        mesh.Remove(peer);
        _score.Prune(peer, topic);
        batch.ControlFor(peer).Prune.Add(MakePrune(peer, topic, _options.PruneBackoff, exchangePeers));
    }

    private void MaintainFanout(DateTimeOffset now, OutboundBatch batch)
    {
        foreach (var topic in _fanoutLastPublished.Where(kv => now - kv.Value > _options.FanoutTtl).Select(kv => kv.Key).ToList())
        {
            _fanout.Remove(topic);
            _fanoutLastPublished.Remove(topic);
        }
        foreach (var (topic, fanout) in _fanout)
        {
            fanout.RemoveWhere(p => !_peers.TryGetValue(p, out var s) || !s.Topics.Contains(topic) || _score.Score(p) < _options.Thresholds.PublishThreshold);
            if (fanout.Count < _options.D)
            {
                fanout.UnionWith(SelectPeers(topic, _options.D - fanout.Count,
                    p => !fanout.Contains(p) && !_peers[p].Direct && _score.Score(p) >= _options.Thresholds.PublishThreshold));
            }
            EmitGossip(topic, fanout, batch);
        }
    }

    /// <summary>IHAVE for the cached ids of the topic to max(D_lazy, factor × candidates) random non-mesh peers.</summary>
    private void EmitGossip(string topic, HashSet<PeerId> exclude, OutboundBatch batch)
    {
        var ids = _cache.GossipIds(topic);
        if (ids.Count == 0)
        {
            return;
        }
        if (!_topicPeers.TryGetValue(topic, out var peers))
        {
            return;
        }
        var candidates = peers.Where(p => !exclude.Contains(p) && !_peers[p].Direct && _score.Score(p) >= _options.Thresholds.GossipThreshold).ToList();
        var target = Math.Max(_options.DLazy, (int)(_options.GossipFactor * candidates.Count));
        Shuffle(candidates);
        if (ids.Count > _options.MaxIHaveLength)
        {
            Shuffle(ids);
            ids.RemoveRange(_options.MaxIHaveLength, ids.Count - _options.MaxIHaveLength);
        }
        foreach (var peer in candidates.Take(target))
        {
            var ihave = new ControlIHave { TopicID = topic };
            ihave.MessageIDs.AddRange(ids.Select(id => ByteString.CopyFrom(id.Bytes)));
            batch.ControlFor(peer).Ihave.Add(ihave);
        }
    }

    private void PenaliseBrokenPromises(DateTimeOffset now)
    {
        var broken = new Dictionary<PeerId, int>();
        foreach (var (id, byPeer) in _promises.ToList())
        {
            foreach (var (peer, deadline) in byPeer.ToList())
            {
                if (deadline <= now)
                {
                    byPeer.Remove(peer);
                    broken[peer] = broken.GetValueOrDefault(peer) + 1;
                }
            }
            if (byPeer.Count == 0)
            {
                _promises.Remove(id);
            }
        }
        foreach (var (peer, count) in broken)
        {
            _score.AddPenalty(peer, count);
        }
    }

    private void ClearExpiredBackoff(DateTimeOffset now)
    {
        foreach (var (topic, peers) in _backoff.ToList())
        {
            foreach (var (peer, until) in peers.ToList())
            {
                if (until + _options.BackoffSlack <= now)
                {
                    peers.Remove(peer);
                }
            }
            if (peers.Count == 0)
            {
                _backoff.Remove(topic);
            }
        }
    }
}
