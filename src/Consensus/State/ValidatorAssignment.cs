using P2P.Consensus.Blocks;

namespace P2P.Consensus.State;

/// <summary>A receipt a validator must still judge: drawn for it, not yet voted, deadline not passed.</summary>
/// <param name="ValidatorIndex">0: the first validator; 1 … escalation size: an escalation validator.</param>
/// <param name="Deadline">The last height whose block may include the verdict.</param>
public sealed record ValidatorAssignment(byte[] ReceiptId, Receipt Receipt, ulong Height, byte[] BlockHash, int ValidatorIndex, ulong Deadline);
