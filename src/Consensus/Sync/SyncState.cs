namespace P2P.Consensus.Sync;

/// <summary>What the synchronizer is doing.</summary>
public enum SyncState
{
    /// <summary>Not started, or caught up with every peer it knows (gossip follows new blocks).</summary>
    Idle,
    /// <summary>Asking peers for their status.</summary>
    Polling,
    /// <summary>Downloading and checking headers from the best peer.</summary>
    Headers,
    /// <summary>Downloading bodies from several peers and applying them.</summary>
    Bodies,
}
