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

    private void Broadcast(SimMessage message, int except)
    {
        for (int peer = 0; peer < _network.NodeCount; peer++)
            if (peer != Index && peer != except)
                _network.Send(Index, peer, message, message.Bytes);
    }

    public void Dispose() => Chain.Dispose();
}
