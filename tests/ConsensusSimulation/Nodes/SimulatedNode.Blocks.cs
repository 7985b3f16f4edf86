using P2P.Consensus.Blocks;
using P2P.Consensus.Simulation.Chain;

namespace P2P.Consensus.Simulation.Nodes;

/// <summary>Blocks: submitting, relaying, stashing orphans and fetching their parents, announcing the head.</summary>
public sealed partial class SimulatedNode
{
    /// <summary>Sends the head block to every peer, so that a peer behind or on another branch fetches what it misses.</summary>
    public void AnnounceHead()
    {
        var head = Chain.FindBlock(Chain.Head.Hash);
        if (head is null || head.Header.Height == 0) return;
        Broadcast(new BlockAnnouncement(head), except: -1);
    }

    /// <summary>Starts the periodic head announcement of <see cref="NodeSettings.HeadAnnounceIntervalMicros"/>.</summary>
    public void StartHeadAnnouncements()
    {
        long interval = _settings.HeadAnnounceIntervalMicros;
        if (interval <= 0) return;
        _loop.After(interval + _random.NextInt64(interval), Tick);

        void Tick()
        {
            AnnounceHead();
            _loop.After(interval, Tick);
        }
    }

    /// <summary>Submits a block and then, breadth first, every stashed orphan it makes connectable.</summary>
    private void Accept(Block first, int from, bool relay)
    {
        var pending = new Queue<(Block Block, int From, bool Relay)>();
        pending.Enqueue((first, from, relay));
        while (pending.TryDequeue(out var item))
        {
            var (block, source, relayIt) = item;
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            var outcome = Chain.Submit(block, _nowSeconds());
            Statistics.SubmitTime += System.Diagnostics.Stopwatch.GetElapsedTime(started);
            string hash = Convert.ToHexStringLower(block.Hash());
            switch (outcome.Status)
            {
                case SubmitStatus.Accepted:
                    Statistics.BlocksAccepted++;
                    _parentRequests.Remove(hash);
                    if (outcome.HeadChanged)
                    {
                        _jobStale = true;
                        OnHeadChanged(block);
                        if (outcome.ReorgDepth > 0)
                        {
                            Statistics.Reorgs++;
                            Statistics.ReorgDepths.Add(outcome.ReorgDepth);
                            Statistics.MaxReorgDepth = Math.Max(Statistics.MaxReorgDepth, outcome.ReorgDepth);
                        }
                    }
                    if (relayIt) Broadcast(new BlockAnnouncement(block), except: source);
                    if (_orphansByParent.Remove(hash, out var children))
                        foreach (var child in children)
                            pending.Enqueue((child.Block, child.From, false));
                    break;
                case SubmitStatus.AlreadyKnown:
                    break;
                case SubmitStatus.Orphan:
                    Statistics.OrphansReceived++;
                    StashOrphan(block, hash, source);
                    RequestParent(block.Header.ParentHash, source);
                    break;
                case SubmitStatus.Invalid:
                    Statistics.BlocksRejected++;
                    string reason = outcome.Reason ?? "unknown";
                    Statistics.RejectReasons[reason] = Statistics.RejectReasons.GetValueOrDefault(reason) + 1;
                    break;
            }
        }
    }

    private void StashOrphan(Block block, string hash, int from)
    {
        string parent = Convert.ToHexStringLower(block.Header.ParentHash);
        if (!_orphansByParent.TryGetValue(parent, out var siblings))
            _orphansByParent[parent] = siblings = [];
        if (siblings.Exists(s => Convert.ToHexStringLower(s.Block.Hash()) == hash)) return;
        siblings.Add((block, from));
        _orphanOrder.Enqueue((parent, hash));
        while (_orphanOrder.Count > _settings.MaxOrphans && _orphanOrder.TryDequeue(out var oldest))
            if (_orphansByParent.TryGetValue(oldest.Parent, out var list))
            {
                list.RemoveAll(s => Convert.ToHexStringLower(s.Block.Hash()) == oldest.Hash);
                if (list.Count == 0) _orphansByParent.Remove(oldest.Parent);
            }
    }

    private void RequestParent(byte[] parentHash, int peer)
    {
        string key = Convert.ToHexStringLower(parentHash);
        if (_parentRequests.ContainsKey(key)) return; // one request in flight per parent
        _parentRequests[key] = 0;
        Ask(parentHash, key, peer);
    }

    private void Ask(byte[] parentHash, string key, int peer)
    {
        if (peer < 0 || peer == Index) peer = RandomPeer();
        Statistics.ParentRequests++;
        _network.Send(Index, peer, new BlockRequest(parentHash), 32);
        _loop.After(_settings.ParentRequestTimeoutMicros, () =>
        {
            if (!_parentRequests.TryGetValue(key, out int attempts)) return; // answered
            if (Chain.FindBlock(parentHash) is not null || attempts + 1 >= _settings.ParentRequestAttempts)
            {
                _parentRequests.Remove(key);
                return;
            }
            _parentRequests[key] = attempts + 1;
            Ask(parentHash, key, RandomPeer());
        });
    }

    private int RandomPeer()
    {
        int peer = _random.Next(_network.NodeCount - 1);
        return peer >= Index ? peer + 1 : peer;
    }
}
