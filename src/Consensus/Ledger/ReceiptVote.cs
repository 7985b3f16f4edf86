using P2P.Consensus.Blocks;

namespace P2P.Consensus.Ledger;

/// <summary>One verdict on chain about a receipt: who, what, why, and the height of the block that included it.</summary>
public sealed record ReceiptVote(byte[] Validator, bool Valid, VerdictReason Reason, ulong Height);
