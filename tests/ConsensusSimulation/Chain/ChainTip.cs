using System.Numerics;

namespace P2P.Consensus.Simulation.Chain;

/// <summary>The head of a chain: its hash, height and cumulative work.</summary>
public sealed record ChainTip(byte[] Hash, ulong Height, BigInteger CumulativeWork)
{
    public string ShortHash => Convert.ToHexStringLower(Hash.AsSpan(0, 6));
}
