using P2P.InferenceNetwork.Cheats;

namespace P2P.InferenceNetwork.Receipts;

/// <summary>What an executor needs to account for its work: who signs receipts, where records wait for validators, how long, and a test cheat.</summary>
public sealed record ExecutorAccounting
{
    public required IReceiptIssuer Issuer { get; init; }

    public required SpanRecordStore Records { get; init; }

    /// <summary>How long a record is kept after its receipt is signed (beyond the verdict deadline).</summary>
    public TimeSpan RecordLifetime { get; init; } = TimeSpan.FromMinutes(30);

    public ExecutorCheat Cheat { get; init; }
}
