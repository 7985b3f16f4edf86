namespace P2P.Consensus.State;

/// <summary>What is known of a stored block: its header checked, its body also applied once, or invalid.</summary>
public enum BlockStatus : byte
{
    HeaderValid = 0,
    Valid = 1,
    Invalid = 2,
}
