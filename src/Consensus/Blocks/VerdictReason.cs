namespace P2P.Consensus.Blocks;

/// <summary>Why a validator judged a receipt as it did; a "valid" verdict carries <see cref="Reproduced"/> and an "invalid" one any other value.</summary>
public enum VerdictReason : byte
{
    /// <summary>The re-run reproduced every hash of the receipt exactly.</summary>
    Reproduced = 0,
    /// <summary>The re-run's output hash differs from the receipt's.</summary>
    OutputMismatch = 1,
    /// <summary>The re-run's log-probability commitment differs from the receipt's.</summary>
    LogProbMismatch = 2,
    /// <summary>The executor (or gateway) did not provide the inputs or outputs to re-run; counts against the executor.</summary>
    InputsUnavailable = 3,
}
