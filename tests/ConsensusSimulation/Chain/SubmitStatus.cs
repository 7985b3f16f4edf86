namespace P2P.Consensus.Simulation.Chain;

/// <summary>What became of a submitted block.</summary>
public enum SubmitStatus
{
    Accepted,
    AlreadyKnown,
    Orphan,
    Invalid,
}
