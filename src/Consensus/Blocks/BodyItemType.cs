namespace P2P.Consensus.Blocks;

/// <summary>The kinds of body item; a body lists them in this order (shares, transfers, receipts, verdicts, service declarations).</summary>
public enum BodyItemType : byte
{
    Share = 1,
    Transfer = 2,
    Receipt = 3,
    Verdict = 4,
    ServiceDeclaration = 5,
}
