namespace P2P.Consensus.Ledger;

/// <summary>
/// An epoch's validation tally (docs/consensus.md §4.8): receipts included and drawn in it, receipts made final valid
/// or invalid in it, and drawn validators whose deadline passed in it without their verdict.
/// </summary>
public readonly record struct ValidationCounts(ulong Receipts, ulong Drawn, ulong Valid, ulong Invalid, ulong MissedDeadlines);
