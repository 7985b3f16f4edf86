using System.Numerics;

namespace P2P.Consensus.Ledger;

/// <summary>A closed epoch: its scheduled issuance, what was issued and forfeited, every miner's weight and reward, and its validation tally.</summary>
public sealed record EpochRecord(ulong Epoch, ulong Scheduled, ulong Issued, ulong Forfeited, BigInteger TotalWeight, IReadOnlyList<EpochReward> Rewards)
{
    public ValidationCounts Validation { get; init; }

    /// <summary>Keys that forfeited this epoch's reward (losers of a final verdict), sorted; a forfeiting key without weight is listed too.</summary>
    public IReadOnlyList<byte[]> Forfeits { get; init; } = [];

    /// <summary>Validators noted for missing a verdict deadline in this epoch, sorted.</summary>
    public IReadOnlyList<byte[]> MissedDeadlines { get; init; } = [];
}
