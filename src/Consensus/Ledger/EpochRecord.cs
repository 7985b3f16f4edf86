using System.Numerics;

namespace P2P.Consensus.Ledger;

/// <summary>A closed epoch: its scheduled issuance, what was issued and forfeited, and every miner's weight and reward.</summary>
public sealed record EpochRecord(ulong Epoch, ulong Scheduled, ulong Issued, ulong Forfeited, BigInteger TotalWeight, IReadOnlyList<EpochReward> Rewards);
