namespace P2P.Accountability.Validation;

/// <summary>A verdict's reason byte (the consensus verdict item's Reason): why a receipt was or was not reproduced.</summary>
public enum VerdictReason : byte
{
    Reproduced = 0,
    OutputMismatch = 1,
    LogProbMismatch = 2,

    /// <summary>The executor did not provide the inputs and outputs, or provided ones that do not hash to its receipt.</summary>
    DataMissing = 3,
}
