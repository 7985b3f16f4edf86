using P2P.Consensus.Blocks;

namespace P2P.Consensus.Simulation.Nodes;

/// <summary>Gossip of a receipt, verdict or service declaration (relayed once by every node that pools it).</summary>
public sealed record ItemAnnouncement(BodyItem Item) : SimMessage
{
    public override int Bytes => BodyItem.LengthOf(Item.Type);
}
