namespace P2P.Consensus.Mining;

/// <summary>What a header's work hash qualifies it as.</summary>
public enum WorkClass
{
    None,
    /// <summary>Meets the share target but not the block target: include it in a later block of the epoch.</summary>
    Share,
    Block,
}
