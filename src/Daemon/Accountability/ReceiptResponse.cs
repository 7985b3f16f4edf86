namespace P2P.Daemon.Accountability;

/// <summary>
/// <c>GET /api/v1/receipts/{id}</c>: a receipt's whole path — the task this gateway collected it for, the receipt's
/// fields, the block that included it, the lottery (drawn, validators, deadlines), the verdicts and the final state.
/// </summary>
/// <param name="State">pending (not on the main chain yet), open, final_valid, final_invalid, unvalidated or not_drawn.</param>
public sealed record ReceiptResponse(
    string ReceiptId,
    string State,
    string? TaskId,
    string? ExecutorPeer,
    ReceiptFieldsResponse? Receipt,
    ulong? Height,
    string? BlockHash,
    bool? Drawn,
    IReadOnlyList<string> Validators,
    ulong? Deadline,
    ulong? EscalationDeadline,
    IReadOnlyList<VerdictResponse> Verdicts,
    IReadOnlyList<string> Forfeits);
