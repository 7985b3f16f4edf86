namespace P2P.Consensus.Ledger;

/// <summary>
/// The receipt index entry: who executed it, in which epoch and block, the lottery's outcome (drawn validators, index 0
/// first, then the escalation validators), the deadlines, the verdicts so far and its state.
/// </summary>
/// <param name="EscalationDeadline">The last height for escalation verdicts; 0 until a first "invalid" verdict escalates the receipt.</param>
public sealed record ReceiptRecord(
    byte[] Executor,
    ulong Epoch,
    ulong Height,
    byte[] BlockHash,
    bool Deterministic,
    bool Drawn,
    IReadOnlyList<byte[]> Validators,
    ulong Deadline,
    ulong EscalationDeadline,
    IReadOnlyList<ReceiptVote> Votes,
    ReceiptState State)
{
    public bool IsFinal => State is ReceiptState.FinalValid or ReceiptState.FinalInvalid;

    public bool IsEscalated => Votes.Count > 0 && !Votes[0].Valid;

    /// <summary>
    /// The keys that forfeit because of this receipt once it is final: the executor and every "valid" voter when it is
    /// final-invalid; every "invalid" voter when it is final-valid.
    /// </summary>
    public IReadOnlyList<byte[]> Forfeits() => State switch
    {
        ReceiptState.FinalInvalid => [Executor, .. Votes.Where(v => v.Valid).Select(v => v.Validator)],
        ReceiptState.FinalValid => Votes.Where(v => !v.Valid).Select(v => v.Validator).ToList(),
        _ => [],
    };
}
