using P2P.Consensus.Genesis;
using P2P.Consensus.Simulation.Chain;
using P2P.Testing;

namespace P2P.Consensus.Simulation.Tests;

/// <summary>A simulation over real chains in a temporary directory, removed with it.</summary>
public sealed class SimulationFixture : IDisposable
{
    private readonly TempDirectory _temp = new();

    public SimulationFixture(SimulationSettings settings)
    {
        Settings = settings;
        Simulation = new ConsensusSimulation(settings, (_, dir) => CoreChain.Open(settings.Genesis, dir), _temp.Sub("nodes"));
    }

    public SimulationSettings Settings { get; }
    public ConsensusSimulation Simulation { get; }

    /// <summary>A fresh chain that is given only <paramref name="blocks"/>, in order: a node that never saw any other branch.</summary>
    public CoreChain Replay(GenesisConfig genesis, IEnumerable<P2P.Consensus.Blocks.Block> blocks, string name = "replay")
    {
        var chain = CoreChain.Open(genesis, _temp.Sub(name));
        foreach (var block in blocks)
        {
            var outcome = chain.Submit(block, block.Header.Timestamp);
            if (outcome.Status != SubmitStatus.Accepted || !outcome.HeadChanged)
                throw new InvalidOperationException($"replay of height {block.Header.Height}: {outcome}");
        }
        return chain;
    }

    /// <summary>Transfers on the main chain of node <paramref name="node"/>.</summary>
    public int TransfersOnChain(int node = 0) =>
        Simulation.Nodes[node].Chain.MainChain().Sum(b => b.Items.Count(i => i is P2P.Consensus.Blocks.Transfer));

    /// <summary>Settings with <paramref name="nodes"/> miners at 1× … 8× whose total rate meets the genesis target on schedule.</summary>
    public static SimulationSettings Settings10(int seed, GenesisConfig genesis, int nodes = 10) => new()
    {
        Seed = seed,
        Genesis = genesis,
        NonceRates = SimulationSettings.SpreadRates(nodes, SimulationGenesis.EquilibriumNonceRate(genesis) / (nodes * 4.5)),
        // Templates refresh for new shares once per block time; each node pays a peer about every five block times.
        Node = new Nodes.NodeSettings { TemplateRefreshMicros = genesis.TargetBlockSeconds * 1_000_000, TransferIntervalMicros = genesis.TargetBlockSeconds * 5_000_000 },
    };

    public void Dispose()
    {
        Simulation.Dispose();
        _temp.Dispose();
    }
}
