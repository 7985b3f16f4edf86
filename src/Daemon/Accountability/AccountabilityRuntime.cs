using P2P.Accountability.Health;
using P2P.Accountability.Receipts;
using P2P.Accountability.Validation;
using P2P.InferenceNetwork.Receipts;

namespace P2P.Daemon.Accountability;

/// <summary>The accountability parts of a running node, for the endpoints: collected receipts, kept records, the validator's tally, routing penalties.</summary>
public sealed class AccountabilityRuntime(ReceiptLog receipts, SpanRecordStore records, AccountableWeights weights)
{
    public ReceiptLog Receipts { get; } = receipts;

    public SpanRecordStore Records { get; } = records;

    public AccountableWeights Weights { get; } = weights;

    /// <summary>Keeps the receipts this gateway published until a block includes them, and publishes them again.</summary>
    public ReceiptRepublisher? Republisher { get; set; }

    /// <summary>Null until the validator starts (after the served models load).</summary>
    public ValidatorStats? Validator { get; set; }
}
