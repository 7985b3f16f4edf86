using System.Numerics;

namespace P2P.Consensus.Ledger;

/// <summary>A miner's credited share work in one epoch.</summary>
public sealed record MinerWeight(byte[] Miner, BigInteger Weight);
