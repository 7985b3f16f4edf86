namespace P2P.Consensus.State;

/// <summary>The outcome class of submitting a block.</summary>
public enum SubmitStatus
{
    /// <summary>Stored; it is on the main chain, or on a side branch with less work.</summary>
    Accepted,
    AlreadyKnown,
    /// <summary>Its parent is unknown; kept in the orphan pool (within its limits).</summary>
    Orphan,
    Invalid,
}
