using P2P.Consensus.Blocks;

namespace P2P.Consensus.Simulation.Nodes;

/// <summary>Gossip of a new block (relayed once by every node that accepts it).</summary>
public sealed record BlockAnnouncement(Block Block) : SimMessage
{
    public override int Bytes => Block.EncodedLength;
}
