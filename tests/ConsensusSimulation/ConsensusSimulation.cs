using System.Diagnostics;
using P2P.Consensus.Blocks;
using P2P.Consensus.Simulation.Chain;
using P2P.Consensus.Simulation.Events;
using P2P.Consensus.Simulation.Network;
using P2P.Consensus.Simulation.Nodes;
using P2P.Networking.Identity;

namespace P2P.Consensus.Simulation;

/// <summary>
/// A deterministic multi-node consensus run: nodes with real chains (one store each, made by the chain factory),
/// mining with the real work function at their nonce rates, on a simulated network, all on one virtual clock.
/// The same settings give the same run: every random choice comes from generators seeded by <see cref="SimulationSettings.Seed"/>.
/// </summary>
public sealed class ConsensusSimulation : IDisposable
{
    private readonly Stopwatch _wall = new();
    private readonly List<SimulatedNode> _nodes = [];

    /// <param name="chainFactory">Makes node i's chain from the genesis and a fresh directory for its store.</param>
    public ConsensusSimulation(SimulationSettings settings, Func<int, string, ISimulatedChain> chainFactory, string workDirectory)
    {
        settings.Genesis.Validate();
        if (settings.NonceRates.Count == 0) throw new ArgumentException("at least one node", nameof(settings));
        Settings = settings;
        WorkDirectory = workDirectory;
        var master = new Random(settings.Seed);
        Network = new SimulatedNetwork<SimMessage>(Loop, settings.NonceRates.Count, settings.Link, new Random(master.Next()));
        for (int i = 0; i < settings.NonceRates.Count; i++)
        {
            var key = Ed25519PrivateKey.Generate(new Random(master.Next()));
            var nodeRandom = new Random(master.Next());
            var chain = chainFactory(i, Path.Combine(workDirectory, $"node{i}"));
            var node = new SimulatedNode(i, key, chain, settings.NonceRates[i], Loop, Network, nodeRandom, settings.Node, NowSeconds);
            node.Role = i < settings.Roles.Count ? settings.Roles[i] : NodeRole.Honest;
            node.BlockMined += (_, _) => BlocksMined++;
            _nodes.Add(node);
        }
        Network.OnDeliver((from, to, message) => _nodes[to].Receive(from, message));
    }

    public SimulationSettings Settings { get; }
    public string WorkDirectory { get; }
    public EventLoop Loop { get; } = new();
    public SimulatedNetwork<SimMessage> Network { get; }
    public IReadOnlyList<SimulatedNode> Nodes => _nodes;
    public int BlocksMined { get; private set; }

    /// <summary>Wall-clock time spent inside <see cref="RunUntil"/>.</summary>
    public TimeSpan WallTime => _wall.Elapsed;

    /// <summary>The nodes' shared clock in Unix seconds: virtual time 0 is the genesis timestamp.</summary>
    public long NowSeconds() => Settings.Genesis.Timestamp + Loop.NowMicros / 1_000_000;

    public double VirtualSeconds => Loop.NowMicros / 1e6;

    public void StartMining(IEnumerable<int>? nodes = null)
    {
        foreach (int i in nodes ?? Enumerable.Range(0, _nodes.Count)) _nodes[i].StartMining();
    }

    public void StopMining()
    {
        foreach (var node in _nodes) node.StopMining();
    }

    /// <summary>Every node starts paying random other nodes (when <see cref="NodeSettings.TransferIntervalMicros"/> is set).</summary>
    public void StartTransfers()
    {
        var keys = _nodes.Select(n => n.MinerKey).ToList();
        foreach (var node in _nodes) node.StartTransfers(keys);
    }

    /// <summary>Every node starts executing work, declaring and judging (when <see cref="NodeSettings.ReceiptIntervalMicros"/> is set).</summary>
    public void StartExecuting()
    {
        foreach (var node in _nodes) node.StartExecuting();
    }

    public void StartHeadAnnouncements()
    {
        foreach (var node in _nodes) node.StartHeadAnnouncements();
    }

    public void AnnounceHeads()
    {
        foreach (var node in _nodes) node.AnnounceHead();
    }

    public ulong MaxHeight => _nodes.Max(n => n.Chain.Head.Height);
    public ulong MinHeight => _nodes.Min(n => n.Chain.Head.Height);

    /// <summary>True when every node (or every node of <paramref name="group"/>) has the same head.</summary>
    public bool HeadsAgree(IEnumerable<int>? group = null)
    {
        byte[]? first = null;
        foreach (int i in group ?? Enumerable.Range(0, _nodes.Count))
        {
            var hash = _nodes[i].Chain.Head.Hash;
            if (first is null) first = hash;
            else if (!hash.AsSpan().SequenceEqual(first)) return false;
        }
        return true;
    }

    /// <summary>Runs until <paramref name="condition"/> holds, throwing when virtual time passes <paramref name="maxVirtualSeconds"/> more or the queue empties first.</summary>
    public void RunUntil(Func<bool> condition, double maxVirtualSeconds, CancellationToken cancellationToken = default)
    {
        long until = Loop.NowMicros + (long)(maxVirtualSeconds * 1e6);
        _wall.Start();
        try
        {
            var stop = Loop.Run(condition, until, Settings.MaxEventsPerPhase, cancellationToken);
            if (stop != EventLoopStop.Condition)
                throw new TimeoutException($"simulation stopped ({stop}) at virtual {VirtualSeconds:F0} s before its condition held; heights {string.Join(',', _nodes.Select(n => n.Chain.Head.Height))}");
        }
        finally
        {
            _wall.Stop();
        }
    }

    /// <summary>Runs until no event is left (mining must be stopped and periodic announcements off) or the bound.</summary>
    public void Drain(double maxVirtualSeconds = 3600)
    {
        long until = Loop.NowMicros + (long)(maxVirtualSeconds * 1e6);
        _wall.Start();
        try
        {
            Loop.Run(() => false, until, Settings.MaxEventsPerPhase);
        }
        finally
        {
            _wall.Stop();
        }
    }

    /// <summary>
    /// Mines until every node's head is at least <paramref name="height"/> and all heads agree, then stops mining and
    /// drains the network; if a block still in flight split the heads, mining resumes until they agree again.
    /// </summary>
    public void MineToAgreedHeight(ulong height, double maxVirtualSeconds, int maxRounds = 20)
    {
        for (int round = 0; round < maxRounds; round++)
        {
            StartMining();
            RunUntil(() => MinHeight >= height && HeadsAgree(), maxVirtualSeconds);
            StopMining();
            Drain();
            AnnounceHeads();
            Drain();
            if (HeadsAgree()) return;
        }
        throw new InvalidOperationException($"heads did not settle in {maxRounds} rounds");
    }

    public SimulationReport Report() => SimulationReport.From(this);

    public void Dispose()
    {
        foreach (var node in _nodes) node.Dispose();
    }
}
