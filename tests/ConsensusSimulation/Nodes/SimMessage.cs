using P2P.Consensus.Blocks;

namespace P2P.Consensus.Simulation.Nodes;

/// <summary>What simulated nodes say to each other; <see cref="Bytes"/> is its size on the wire, for bandwidth.</summary>
public abstract record SimMessage
{
    public abstract int Bytes { get; }
}

/// <summary>Gossip of a new block (relayed once by every node that accepts it).</summary>
public sealed record BlockAnnouncement(Block Block) : SimMessage
{
    public override int Bytes => Block.EncodedLength;
}

/// <summary>Gossip of a share (relayed once by every node that finds it relayable).</summary>
public sealed record ShareAnnouncement(Share Share) : SimMessage
{
    public override int Bytes => Share.EncodedLength;
}

/// <summary>A request for a block by hash, sent when a block's parent is unknown.</summary>
public sealed record BlockRequest(byte[] Hash) : SimMessage
{
    public override int Bytes => 32;
}

/// <summary>The answer to a <see cref="BlockRequest"/>.</summary>
public sealed record BlockResponse(Block Block) : SimMessage
{
    public override int Bytes => Block.EncodedLength;
}
