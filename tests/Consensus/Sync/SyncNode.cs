using Microsoft.Extensions.Logging.Abstractions;
using P2P.Consensus.Blocks;
using P2P.Consensus.Genesis;
using P2P.Consensus.Sync;
using P2P.Consensus.Tests.Support;
using P2P.Simulation;

namespace P2P.Consensus.Tests.Sync;

/// <summary>A simulated peer running a real chain (LevelDB in a temp folder) and a real <see cref="ChainSynchronizer"/>, serving and syncing.</summary>
public sealed class SyncNode : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly IDisposable _serving;
    private Task? _running;

    public SyncNode(SimulatedNetwork network, GenesisConfig? genesis = null, SyncOptions? options = null)
    {
        Peer = network.AddPeer();
        Test = new TestChain(genesis);
        Sync = new ChainSynchronizer(Test.Chain, Peer.RequestResponse, ConnectedPeers(network, Peer), Peer.Reputation, network.Time, NullLogger.Instance, options);
        _serving = Sync.Serve();
    }

    public SimulatedPeer Peer { get; }

    public TestChain Test { get; }

    public ChainSynchronizer Sync { get; }

    public static Func<IReadOnlyCollection<Networking.Identity.PeerId>> ConnectedPeers(SimulatedNetwork network, SimulatedPeer self) =>
        () => network.Peers.Where(p => p != self && self.IsConnectedTo(p)).Select(p => p.Id).ToList();

    /// <summary>Submits blocks mined elsewhere, asserting each is accepted.</summary>
    public SyncNode Holding(IEnumerable<Block> blocks)
    {
        foreach (var block in blocks)
        {
            var result = Test.Chain.Submit(block, TestChain.TimeAt(block.Header.Height));
            if (result.IsInvalid) throw new InvalidOperationException($"block {block.Header.Height}: {result}");
        }
        return this;
    }

    public void Start() => _running = Sync.RunAsync(_stop.Token);

    public bool HasHead(byte[] hash) => Test.Chain.Head.Hash.AsSpan().SequenceEqual(hash);

    public void Dispose()
    {
        _stop.Cancel();
        // RunAsync ends at the next await once cancelled; the chain is closed only after it has.
        _running?.Wait(TimeSpan.FromSeconds(10));
        _serving.Dispose();
        Test.Dispose();
    }
}
