namespace P2P.Consensus.Tests.Difficulty;

/// <summary>One vector line: the nBits of the block after the one at <c>Height</c> with timestamp <c>Time</c>.</summary>
internal sealed record AsertVectorLine(int Iteration, long Height, long Time, uint Bits);
