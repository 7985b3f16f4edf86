using P2P.Consensus.Blocks;
using P2P.Consensus.Ledger;

namespace P2P.Consensus.State;

/// <summary>Everything the chain knows about one receipt: the receipt, its block, the lottery's outcome, deadlines, verdicts, state and the forfeits it caused.</summary>
/// <param name="Validators">The drawn validators: index 0 judges first, the others only after a first "invalid" verdict.</param>
/// <param name="EscalationDeadline">The last height for escalation verdicts, null until a first "invalid" verdict.</param>
/// <param name="Forfeits">Keys that forfeited because of this receipt (empty until it is final).</param>
public sealed record ReceiptStatus(
    byte[] ReceiptId,
    Receipt Receipt,
    ulong Height,
    byte[] BlockHash,
    bool Drawn,
    IReadOnlyList<byte[]> Validators,
    ulong Deadline,
    ulong? EscalationDeadline,
    IReadOnlyList<ReceiptVote> Verdicts,
    ReceiptState State,
    IReadOnlyList<byte[]> Forfeits);
