using P2P.Consensus.Genesis;
using P2P.Consensus.Simulation.Network;
using P2P.Consensus.Simulation.Nodes;

namespace P2P.Consensus.Simulation;

/// <summary>Everything a simulation run is a function of: seed, genesis, miners' nonce rates, links and node behaviour.</summary>
public sealed record SimulationSettings
{
    public required int Seed { get; init; }
    public required GenesisConfig Genesis { get; init; }

    /// <summary>Nonces per virtual second, one entry per node.</summary>
    public required IReadOnlyList<double> NonceRates { get; init; }

    public LinkProfile Link { get; init; } = LinkProfile.Wan;
    public NodeSettings Node { get; init; } = new();

    /// <summary>Node i's accountability role (nodes beyond the list are honest).</summary>
    public IReadOnlyList<NodeRole> Roles { get; init; } = [];

    /// <summary>Bound on events per <see cref="ConsensusSimulation.RunUntil"/>, so a bad run stops instead of spinning.</summary>
    public long MaxEventsPerPhase { get; init; } = 50_000_000;

    /// <summary>Rates 1× … 8× of <paramref name="baseRate"/>, evenly spaced over <paramref name="nodes"/> nodes.</summary>
    public static double[] SpreadRates(int nodes, double baseRate, double spread = 8)
    {
        if (nodes == 1) return [baseRate];
        return Enumerable.Range(0, nodes).Select(i => baseRate * (1 + (spread - 1) * i / (nodes - 1))).ToArray();
    }
}
