namespace P2P.Consensus.Ledger;

/// <summary>The receipt index entry: who executed it, in which epoch and block, the verdicts so far and its state.</summary>
public sealed record ReceiptRecord(byte[] Executor, ulong Epoch, ulong Height, IReadOnlyList<(byte[] Validator, bool Valid)> Votes, ReceiptState State);
