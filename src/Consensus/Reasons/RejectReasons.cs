namespace P2P.Consensus.Reasons;

/// <summary>Properties of reason codes.</summary>
public static class RejectReasons
{
    /// <summary>
    /// False for reasons that do not condemn the header hash: the local clock (too far ahead), missing data (parent
    /// unknown), and a body that does not match or fit its header — the same header with its real body may be valid,
    /// so remembering the hash would let anyone poison a block by relaying it with a mangled body first.
    /// </summary>
    public static bool IsPermanent(RejectReason reason) => reason is not (
        RejectReason.None or RejectReason.TimestampTooFarAhead or RejectReason.ParentUnknown or
        RejectReason.Malformed or RejectReason.NonCanonicalEncoding or RejectReason.BlockTooLarge or
        RejectReason.TooManyItems or RejectReason.TooManyShares or RejectReason.ItemsOutOfOrder or RejectReason.BadBodyRoot);
}
