using System.Numerics;

namespace P2P.Consensus.State;

/// <summary>The tip of the main chain.</summary>
public sealed record ChainHead(byte[] Hash, ulong Height, BigInteger CumulativeWork, long Timestamp, uint Bits, ulong Epoch);
