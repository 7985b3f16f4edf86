using System.Buffers.Binary;
using Google.Protobuf;
using P2P.Networking.Identity;
using P2P.Networking.Metrics;
using P2P.Networking.Pubsub.Protos;

namespace P2P.Networking.Pubsub;

public sealed partial class GossipsubRouter
{
    /// <summary>Signs and sends our own message; returns its id and how many peers it was sent to.</summary>
    public (MessageId Id, int Peers) Publish(string topic, ReadOnlySpan<byte> data)
    {
        if (data.Length > _options.MaxMessageSizeFor(topic))
        {
            throw new ArgumentException($"message of {data.Length} bytes exceeds the {_options.MaxMessageSizeFor(topic)}-byte limit of {topic}", nameof(data));
        }
        var seqno = new byte[8];
        var wire = new Message
        {
            From = ByteString.CopyFrom(_identity.PeerId.Bytes),
            Data = ByteString.CopyFrom(data),
            Topic = topic,
        };
        lock (_gate)
        {
            BinaryPrimitives.WriteUInt64BigEndian(seqno, ++_sequenceNumber);
            wire.Seqno = ByteString.CopyFrom(seqno);
            StrictSign.Sign(wire, _identity);
            var id = _messageId(wire);
            _seen.Add(id);
            _cache.Put(id, wire);
            var targets = PublishTargets(topic);
            foreach (var peer in targets)
            {
                var rpc = new RPC();
                rpc.Publish.Add(wire);
                _transport.Send(peer, rpc);
            }
            NetworkingMetrics.GossipPublishedOn(topic);
            return (id, targets.Count);
        }
    }

    private HashSet<PeerId> PublishTargets(string topic)
    {
        var targets = new HashSet<PeerId>();
        if (!_topicPeers.TryGetValue(topic, out var peers))
        {
            return targets;
        }
        if (_options.FloodPublish)
        {
            targets.UnionWith(peers.Where(p => _peers[p].Direct || _score.Score(p) >= _options.Thresholds.PublishThreshold));
            return targets;
        }
        targets.UnionWith(peers.Where(p => _peers[p].Direct));
        if (_mesh.TryGetValue(topic, out var mesh))
        {
            targets.UnionWith(mesh);
            return targets;
        }
        if (!_fanout.TryGetValue(topic, out var fanout))
        {
            fanout = SelectPeers(topic, _options.D, p => !_peers[p].Direct && _score.Score(p) >= _options.Thresholds.PublishThreshold).ToHashSet();
            _fanout[topic] = fanout;
        }
        _fanoutLastPublished[topic] = _time.GetUtcNow();
        targets.UnionWith(fanout);
        return targets;
    }
}
