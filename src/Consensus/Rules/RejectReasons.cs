namespace P2P.Consensus.Rules;

/// <summary>Properties of reason codes.</summary>
public static class RejectReasons
{
    /// <summary>False for reasons that depend on the local clock or on missing data: such a block may become valid later, so it is not remembered as invalid.</summary>
    public static bool IsPermanent(RejectReason reason) => reason is not (RejectReason.TimestampTooFarAhead or RejectReason.ParentUnknown or RejectReason.None);
}
