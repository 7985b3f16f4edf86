namespace P2P.Consensus.Simulation.Nodes;

/// <summary>A request for a block by hash, sent when a block's parent is unknown.</summary>
public sealed record BlockRequest(byte[] Hash) : SimMessage
{
    public override int Bytes => 32;
}
