using System.Numerics;

namespace P2P.Consensus.Accountability;

/// <summary>A node the lottery may draw as a receipt's validator, with its draw weight (≥ 1).</summary>
public sealed record LotteryCandidate(byte[] Node, BigInteger Weight);
