namespace P2P.Consensus.Difficulty;

/// <summary>The parameters ASERT takes from genesis.</summary>
/// <param name="IdealBlockSeconds">The target block interval (Bitcoin Cash: 600).</param>
/// <param name="HalfLifeSeconds">How far ahead of or behind schedule the chain must be for the target to halve or double (Bitcoin Cash: 172 800).</param>
/// <param name="PowLimitBits">The easiest target allowed, in compact form.</param>
public sealed record AsertParameters(long IdealBlockSeconds, long HalfLifeSeconds, uint PowLimitBits);
