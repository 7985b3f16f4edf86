using P2P.Consensus.Blocks;

namespace P2P.Consensus.Simulation.Nodes;

/// <summary>The answer to a <see cref="BlockRequest"/>.</summary>
public sealed record BlockResponse(Block Block) : SimMessage
{
    public override int Bytes => Block.EncodedLength;
}
