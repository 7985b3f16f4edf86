using P2P.Consensus.Blocks;

namespace P2P.Consensus.Simulation.Nodes;

/// <summary>Gossip of a signed transfer (relayed once by every node that has not seen it).</summary>
public sealed record TransferAnnouncement(Transfer Transfer) : SimMessage
{
    public override int Bytes => Transfer.EncodedLength;
}
