using P2P.Consensus.Reasons;
using P2P.Consensus.Rules;
using P2P.Consensus.State;
using P2P.Networking.Pubsub;

namespace P2P.Consensus.Gossip;

/// <summary>Maps the chain's answer to a block onto gossipsub's accept / ignore / reject.</summary>
public static class GossipVerdict
{
    /// <summary>
    /// Accepted → forward. Known, orphaned or not-yet-valid (a timestamp ahead of our clock) → drop without penalty:
    /// an honest peer can send those. Anything else is invalid → reject, which costs the sender through P4.
    /// </summary>
    public static ValidationResult ForBlock(SubmitResult result) => result.Status switch
    {
        SubmitStatus.Accepted => ValidationResult.Accept,
        SubmitStatus.AlreadyKnown or SubmitStatus.Orphan => ValidationResult.Ignore,
        _ when IsTransient(result.Reason) => ValidationResult.Ignore,
        _ => ValidationResult.Reject,
    };

    /// <summary>Reasons that say nothing about the sender's honesty (docs/consensus.md §4: the non-permanent codes that are not decoding errors).</summary>
    public static bool IsTransient(RejectReason reason) =>
        reason is RejectReason.TimestampTooFarAhead or RejectReason.ParentUnknown;
}
