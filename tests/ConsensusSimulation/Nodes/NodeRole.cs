namespace P2P.Consensus.Simulation.Nodes;

/// <summary>How a simulated node behaves in accountability: honestly, or as one of the cheats the chain must catch.</summary>
public enum NodeRole
{
    Honest,
    /// <summary>Signs receipts whose output hash is not what the input gives: every validator that re-runs it disagrees.</summary>
    CheatingExecutor,
    /// <summary>Judges every receipt it is drawn for as invalid.</summary>
    LyingValidator,
}
