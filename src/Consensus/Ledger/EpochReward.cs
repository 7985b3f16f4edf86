using System.Numerics;

namespace P2P.Consensus.Ledger;

/// <summary>One miner's line of a closed epoch: its weight, its pro-rata reward, and whether it forfeited it (then nothing was issued to it).</summary>
public sealed record EpochReward(byte[] Miner, BigInteger Weight, ulong Reward, bool Forfeited);
