namespace P2P.Consensus.Ledger;

/// <summary>Where a receipt stands (docs/consensus.md §4.8): open for verdicts, final, or never to be judged.</summary>
public enum ReceiptState : byte
{
    /// <summary>Drawn, waiting for its validator's verdict or for the escalation to close.</summary>
    Open = 0,
    FinalValid = 1,
    FinalInvalid = 2,
    /// <summary>Drawn, but its validator missed the deadline (or nobody could be drawn): no claim either way.</summary>
    Unvalidated = 3,
    /// <summary>Not drawn by the lottery (or a fast-mode receipt, never drawn).</summary>
    NotDrawn = 4,
}
