using P2P.Consensus.Blocks;

namespace P2P.Consensus.Simulation.Nodes;

/// <summary>Gossip of a share (relayed once by every node that finds it relayable).</summary>
public sealed record ShareAnnouncement(Share Share) : SimMessage
{
    public override int Bytes => Share.EncodedLength;
}
