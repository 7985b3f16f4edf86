using P2P.Consensus.Blocks;
using P2P.Consensus.Simulation.Chain;
using P2P.Consensus.Simulation.Events;
using P2P.Consensus.Simulation.Network;
using P2P.Networking.Identity;

namespace P2P.Consensus.Simulation.Nodes;

/// <summary>
/// One node of the simulation: a real chain, a miner trying one nonce every 1/rate virtual seconds on a template
/// of its head, gossip of blocks and shares to every peer, and fetching of unknown parents from the announcer.
/// </summary>
public sealed partial class SimulatedNode : IDisposable
{
    private readonly EventLoop _loop;
    private readonly SimulatedNetwork<SimMessage> _network;
    private readonly Random _random;
    private readonly NodeSettings _settings;
    private readonly Func<long> _nowSeconds;
    private readonly Dictionary<string, Share> _sharePool = new(StringComparer.Ordinal);
    private readonly Queue<string> _sharePoolOrder = new();
    private readonly HashSet<string> _seenShares = new(StringComparer.Ordinal);
    private readonly Queue<string> _seenOrder = new();
    private readonly Dictionary<string, Transfer> _transferPool = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seenTransfers = new(StringComparer.Ordinal);
    private readonly Ed25519PrivateKey _key;
    private IReadOnlyList<byte[]> _peerKeys = [];
    private readonly Dictionary<string, List<(Block Block, int From)>> _orphansByParent = new(StringComparer.Ordinal);
    private readonly Queue<(string Parent, string Hash)> _orphanOrder = new();
    private readonly Dictionary<string, int> _parentRequests = new(StringComparer.Ordinal);
    private MiningJob? _job;
    private bool _jobStale = true;
    private bool _poolChanged;
    private long _jobBuiltMicros;
    private long _miningStartMicros;
    private long _noncesThisRun;
    private int _miningGeneration;
    private ulong _nextNonce;

    public SimulatedNode(int index, Ed25519PrivateKey key, ISimulatedChain chain, double noncesPerSecond, EventLoop loop,
                         SimulatedNetwork<SimMessage> network, Random random, NodeSettings settings, Func<long> nowSeconds)
    {
        if (!(noncesPerSecond > 0)) throw new ArgumentOutOfRangeException(nameof(noncesPerSecond));
        Index = index;
        _key = key;
        MinerKey = Signing.PublicKeyOf(key);
        Chain = chain;
        NoncesPerSecond = noncesPerSecond;
        _loop = loop;
        _network = network;
        _random = random;
        _settings = settings;
        _nowSeconds = nowSeconds;
        _nextNonce = (ulong)random.NextInt64();
    }

    public int Index { get; }
    public byte[] MinerKey { get; }
    public string MinerHex => Convert.ToHexStringLower(MinerKey);
    public ISimulatedChain Chain { get; }
    public double NoncesPerSecond { get; }
    public NodeStatistics Statistics { get; } = new();
    public bool IsMining { get; private set; }

    /// <summary>Called with every block this node mines.</summary>
    public event Action<SimulatedNode, Block>? BlockMined;

    /// <summary>Starts trying nonces; the first comes after a random fraction of one nonce interval, so miners are out of phase.</summary>
    public void StartMining()
    {
        if (IsMining) return;
        IsMining = true;
        int generation = ++_miningGeneration;
        _miningStartMicros = _loop.NowMicros + (long)(_random.NextDouble() * 1e6 / NoncesPerSecond);
        _noncesThisRun = 0;
        ScheduleNextNonce(generation);
    }

    public void StopMining()
    {
        IsMining = false;
        _miningGeneration++;
    }

    /// <summary>Sends the head block to every peer, so that a peer behind or on another branch fetches what it misses.</summary>
    public void AnnounceHead()
    {
        var head = Chain.FindBlock(Chain.Head.Hash);
        if (head is null || head.Header.Height == 0) return;
        Broadcast(new BlockAnnouncement(head), except: -1);
    }

    /// <summary>Starts paying random peers (<see cref="NodeSettings.TransferIntervalMicros"/>) among <paramref name="peerKeys"/>.</summary>
    public void StartTransfers(IReadOnlyList<byte[]> peerKeys)
    {
        long interval = _settings.TransferIntervalMicros;
        if (interval <= 0) return;
        _peerKeys = peerKeys;
        _loop.After(interval / 2 + _random.NextInt64(interval), Tick);

        void Tick()
        {
            SendTransfer();
            _loop.After(interval / 2 + _random.NextInt64(interval), Tick);
        }
    }

    /// <summary>One transfer at a time: a new one only once the last is on the chain (its nonce consumed).</summary>
    private void SendTransfer()
    {
        var (balance, nonce) = Chain.Account(MinerKey);
        ulong fee = _settings.TransferFee;
        if (balance <= fee * 10 || _transferPool.Values.Any(t => t.From.AsSpan().SequenceEqual(MinerKey) && t.Nonce >= nonce)) return;
        var to = _peerKeys[_random.Next(_peerKeys.Count)];
        if (to.AsSpan().SequenceEqual(MinerKey)) return;
        var transfer = Transfer.Create(_key, Chain.ChainId, to, balance / 10, fee, nonce);
        Statistics.TransfersSent++;
        AcceptTransfer(transfer, from: -1);
    }

    private void AcceptTransfer(Transfer transfer, int from)
    {
        string id = Convert.ToHexStringLower(transfer.Signature);
        if (!_seenTransfers.Add(id)) return;
        if (_seenTransfers.Count > 4 * _settings.MaxPooledShares) _seenTransfers.Clear(); // bounded; forgetting only costs a re-relay
        // Relay only what can still be valid: signed for this chain, its nonce not yet consumed.
        if (!transfer.HasValidSignature(Chain.ChainId) || transfer.Nonce < Chain.Account(transfer.From).Nonce) return;
        if (_transferPool.Count >= _settings.MaxPooledShares) return;
        _transferPool[id] = transfer;
        _poolChanged = true;
        Broadcast(new TransferAnnouncement(transfer), except: from);
    }

    private void PruneTransferPool()
    {
        List<string>? spent = null;
        foreach (var (id, transfer) in _transferPool)
            if (transfer.Nonce < Chain.Account(transfer.From).Nonce)
                (spent ??= []).Add(id);
        if (spent is not null)
            foreach (string id in spent) _transferPool.Remove(id);
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

    public void Receive(int from, SimMessage message)
    {
        switch (message)
        {
            case BlockAnnouncement announcement:
                Accept(announcement.Block, from, relay: true);
                break;
            case BlockResponse response:
                Accept(response.Block, from, relay: false);
                break;
            case ShareAnnouncement share:
                AcceptShare(share.Share, from);
                break;
            case TransferAnnouncement transfer:
                AcceptTransfer(transfer.Transfer, from);
                break;
            case ItemAnnouncement item:
                AcceptItem(item.Item, from);
                break;
            case BlockRequest request:
                var block = Chain.FindBlock(request.Hash);
                if (block is not null) _network.Send(Index, from, new BlockResponse(block), block.EncodedLength);
                break;
        }
    }

    private void ScheduleNextNonce(int generation)
    {
        // The n-th nonce of this run at start + n/rate, computed from n so rounding never accumulates.
        long at = _miningStartMicros + (long)(_noncesThisRun * 1e6 / NoncesPerSecond);
        _loop.After(Math.Max(0, at - _loop.NowMicros), () =>
        {
            if (generation != _miningGeneration) return;
            TryNonce();
            _noncesThisRun++;
            ScheduleNextNonce(generation);
        });
    }

    private void TryNonce()
    {
        if (_job is null || _jobStale || (_poolChanged && _loop.NowMicros - _jobBuiltMicros >= _settings.TemplateRefreshMicros))
        {
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            PruneTransferPool();
            _job = Chain.NewJob(MinerKey, _sharePool.Values, _transferPool.Values, _nowSeconds(), _items.Candidates());
            Statistics.TemplateTime += System.Diagnostics.Stopwatch.GetElapsedTime(started);
            _jobStale = false;
            _poolChanged = false;
            _jobBuiltMicros = _loop.NowMicros;
            Statistics.JobsBuilt++;
            PruneSharePool(_job.Template.Epoch);
        }
        Statistics.NoncesTried++;
        long tried = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = _job.Try(_nextNonce++);
        Statistics.MiningTime += System.Diagnostics.Stopwatch.GetElapsedTime(tried);
        if (result.Block is { } block)
        {
            Statistics.BlocksMined++;
            BlockMined?.Invoke(this, block);
            Accept(block, from: -1, relay: true);
        }
        else if (result.Share is { } share)
        {
            Statistics.SharesMined++;
            AcceptShare(share, from: -1);
        }
    }

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

    private void Broadcast(SimMessage message, int except)
    {
        for (int peer = 0; peer < _network.NodeCount; peer++)
            if (peer != Index && peer != except)
                _network.Send(Index, peer, message, message.Bytes);
    }

    public void Dispose() => Chain.Dispose();
}
