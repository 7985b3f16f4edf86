using P2P.Consensus.Blocks;

namespace P2P.Accountability.Validation;

/// <summary>A re-run's result: the reason, the output hash the validator computed (zeros when it ran nothing) and a line for the log.</summary>
public sealed record VerificationOutcome(VerdictReason Reason, byte[] OutputHash, string Detail)
{
    public bool Valid => Reason == VerdictReason.Reproduced;

    public static VerificationOutcome Missing(string detail) => new(VerdictReason.InputsUnavailable, new byte[32], detail);
}
