namespace P2P.Daemon.Chain;

/// <summary>An epoch's validation tally (docs/consensus.md §4.8): receipts and drawn receipts included, receipts made final valid and invalid, missed verdict deadlines.</summary>
public sealed record EpochValidationResponse(ulong Receipts, ulong Drawn, ulong Valid, ulong Invalid, ulong MissedDeadlines);
