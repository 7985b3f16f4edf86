namespace P2P.Consensus.Simulation.Nodes;

/// <summary>What simulated nodes say to each other; <see cref="Bytes"/> is its size on the wire, for bandwidth.</summary>
public abstract record SimMessage
{
    public abstract int Bytes { get; }
}
