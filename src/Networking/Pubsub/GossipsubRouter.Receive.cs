using Microsoft.Extensions.Logging;
using P2P.Networking.Identity;
using P2P.Networking.Metrics;
using P2P.Networking.Pubsub.Protos;

namespace P2P.Networking.Pubsub;

public sealed partial class GossipsubRouter
{
    private sealed record PendingMessage(PeerId Source, Message Wire, MessageId Id, PubsubMessage Message);

    /// <summary>
    /// Handles one RPC from a peer: subscriptions and control at once, messages through validation.
    /// Awaiting this applies back-pressure to the reading stream when the validation queue is full.
    /// </summary>
    public async ValueTask HandleRpcAsync(PeerId source, RPC rpc, CancellationToken cancellationToken = default)
    {
        List<PendingMessage> pending;
        lock (_gate)
        {
            if (!_peers.ContainsKey(source))
            {
                return;
            }
            if (_score.Score(source) < _options.Thresholds.GraylistThreshold)
            {
                _log.LogDebug("dropping RPC from graylisted peer {Peer}", source);
                return;
            }
            HandleSubscriptions(source, rpc);
            pending = AdmitMessages(source, rpc);
            if (rpc.Control is { } control)
            {
                HandleControl(source, control);
            }
        }
        foreach (var message in pending)
        {
            await ValidateAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }

    private void HandleSubscriptions(PeerId source, RPC rpc)
    {
        var state = _peers[source];
        foreach (var sub in rpc.Subscriptions)
        {
            if (!sub.HasTopicid || sub.Topicid.Length == 0)
            {
                continue;
            }
            var topic = sub.Topicid;
            if (sub.Subscribe)
            {
                if (state.Topics.Add(topic))
                {
                    if (!_topicPeers.TryGetValue(topic, out var peers))
                    {
                        peers = [];
                        _topicPeers[topic] = peers;
                    }
                    peers.Add(source);
                }
            }
            else if (state.Topics.Remove(topic))
            {
                RemoveFromTopic(source, topic);
            }
        }
    }

    /// <summary>Cheap checks before validation: topic, size, signature, duplicates. Survivors are marked seen.</summary>
    private List<PendingMessage> AdmitMessages(PeerId source, RPC rpc)
    {
        var admitted = new List<PendingMessage>();
        foreach (var wire in rpc.Publish)
        {
            if (!wire.HasTopic || !_mesh.ContainsKey(wire.Topic))
            {
                continue;
            }
            var topic = wire.Topic;
            if (wire.Data.Length > _options.MaxMessageSizeFor(topic))
            {
                _log.LogDebug("oversized message from {Peer} on {Topic}", source, topic);
                _score.RejectInvalid(source, topic);
                NetworkingMetrics.GossipRejectedOn(topic);
                continue;
            }
            MessageId id;
            try
            {
                id = _messageId(wire);
            }
            catch (FormatException)
            {
                _score.RejectInvalid(source, topic);
                NetworkingMetrics.GossipRejectedOn(topic);
                continue;
            }
            // Duplicates are dropped before the (costly) signature check, as go-libp2p does: only verified
            // messages are ever marked seen, so a forgery cannot shadow a real message.
            if (_seen.Contains(id))
            {
                _duplicates++;
                _score.DuplicateMessage(source, id, topic);
                continue;
            }
            if (!StrictSign.Verify(wire))
            {
                _log.LogDebug("badly signed message from {Peer} on {Topic}", source, topic);
                _score.RejectInvalid(source, topic);
                NetworkingMetrics.GossipRejectedOn(topic);
                continue;
            }
            _promises.Remove(id);
            _seen.Add(id);
            var from = PeerId.FromBytes(wire.From.Span);
            if (from == _identity.PeerId)
            {
                continue;
            }
            _score.ValidateMessage(id);
            SendIDontWant(source, topic, id, wire.Data.Length);
            var seqno = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(wire.Seqno.Span);
            admitted.Add(new PendingMessage(source, wire, id, new PubsubMessage(topic, wire.Data.Memory, from, seqno, id, source)));
        }
        return admitted;
    }

    private async ValueTask ValidateAsync(PendingMessage pending, CancellationToken cancellationToken)
    {
        MessageValidator? validator;
        lock (_gate)
        {
            validator = _validators.GetValueOrDefault(pending.Message.Topic);
        }
        if (validator is null)
        {
            Complete(pending, ValidationResult.Accept);
            return;
        }
        await _validationSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        ValueTask<ValidationResult> verdict;
        try
        {
            verdict = validator(pending.Message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _validationSlots.Release();
            _log.LogWarning(e, "validator for {Topic} threw; ignoring the message", pending.Message.Topic);
            Complete(pending, ValidationResult.Ignore);
            return;
        }
        if (verdict.IsCompleted)
        {
            _validationSlots.Release();
            Complete(pending, verdict.IsCompletedSuccessfully ? verdict.Result : ValidationResult.Ignore);
            return;
        }
        _ = FinishValidationAsync(pending, verdict);
    }

    private async Task FinishValidationAsync(PendingMessage pending, ValueTask<ValidationResult> verdict)
    {
        var result = ValidationResult.Ignore;
        try
        {
            result = await verdict.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _log.LogDebug(e, "validator for {Topic} failed; ignoring the message", pending.Message.Topic);
        }
        finally
        {
            _validationSlots.Release();
        }
        Complete(pending, result);
    }

    private void Complete(PendingMessage pending, ValidationResult result)
    {
        lock (_gate)
        {
            var topic = pending.Message.Topic;
            switch (result)
            {
                case ValidationResult.Reject:
                    _score.RejectMessage(pending.Source, pending.Id, topic);
                    NetworkingMetrics.GossipRejectedOn(topic);
                    return;
                case ValidationResult.Ignore:
                    _score.IgnoreMessage(pending.Id);
                    return;
            }
            _score.DeliverMessage(pending.Source, pending.Id, topic);
            NetworkingMetrics.GossipReceivedOn(topic);
            _cache.Put(pending.Id, pending.Wire);
            if (_mesh.ContainsKey(topic))
            {
                Delivered?.Invoke(pending.Message);
            }
            Forward(pending.Wire, pending.Id, topic, pending.Source, pending.Message.From);
        }
    }

    private void Forward(Message wire, MessageId id, string topic, PeerId source, PeerId? origin)
    {
        var targets = new HashSet<PeerId>();
        if (_mesh.TryGetValue(topic, out var mesh))
        {
            targets.UnionWith(mesh);
        }
        if (_topicPeers.TryGetValue(topic, out var peers))
        {
            targets.UnionWith(peers.Where(p => _peers[p].Direct));
        }
        targets.Remove(source);
        if (origin is not null)
        {
            targets.Remove(origin);
        }
        targets.RemoveWhere(p => _dontSend.TryGetValue(p, out var ids) && ids.ContainsKey(id));
        foreach (var peer in targets)
        {
            var rpc = new RPC();
            rpc.Publish.Add(wire);
            _transport.Send(peer, rpc);
        }
    }
}
