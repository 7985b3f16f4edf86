using P2P.Consensus.Blocks;

namespace P2P.Consensus.Simulation.Nodes;

/// <summary>Shares: relaying what verifies and keeping a bounded pool for templates.</summary>
public sealed partial class SimulatedNode
{
    private void AcceptShare(Share share, int from)
    {
        string id = Convert.ToHexStringLower(share.Id());
        if (!_seenShares.Add(id)) return;
        _seenOrder.Enqueue(id);
        while (_seenShares.Count > 4 * _settings.MaxPooledShares && _seenOrder.TryDequeue(out var forgotten))
            _seenShares.Remove(forgotten);
        if (from >= 0)
        {
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            bool relayable = Chain.IsRelayableShare(share);
            Statistics.ShareCheckTime += System.Diagnostics.Stopwatch.GetElapsedTime(started);
            if (!relayable) return;
        }
        _sharePool[id] = share;
        _sharePoolOrder.Enqueue(id);
        while (_sharePool.Count > _settings.MaxPooledShares && _sharePoolOrder.TryDequeue(out var oldest))
            _sharePool.Remove(oldest);
        _poolChanged = true;
        Broadcast(new ShareAnnouncement(share), except: from);
    }

    private void PruneSharePool(ulong currentEpoch)
    {
        if (_sharePool.Count == 0) return;
        List<string>? old = null;
        foreach (var (id, share) in _sharePool)
            if (share.Header.Epoch < currentEpoch)
                (old ??= []).Add(id);
        if (old is null) return;
        foreach (string id in old) _sharePool.Remove(id);
        var kept = _sharePoolOrder.Where(_sharePool.ContainsKey).ToList();
        _sharePoolOrder.Clear();
        foreach (string id in kept) _sharePoolOrder.Enqueue(id);
    }
}
