namespace P2P.Consensus.Gossip;

/// <summary>How a block reached this node's chain.</summary>
public enum BlockSource
{
    /// <summary>Mined by this node.</summary>
    Mined,

    /// <summary>Received on <c>p2pd/blocks/1</c>.</summary>
    Gossip,

    /// <summary>Fetched by the synchroniser.</summary>
    Sync,

    /// <summary>Arrived before its parent and was connected when the parent came.</summary>
    Orphan,
}
