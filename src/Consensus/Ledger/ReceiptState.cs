namespace P2P.Consensus.Ledger;

/// <summary>Where a receipt stands: open for verdicts, or final.</summary>
public enum ReceiptState : byte
{
    Open = 0,
    FinalValid = 1,
    FinalInvalid = 2,
}
