using P2P.Consensus.Blocks;
using P2P.Consensus.Reasons;
using P2P.Consensus.State;
using P2P.Networking.Pubsub;

namespace P2P.Consensus.Gossip;

/// <summary>
/// Gossip checks of receipts, verdicts and service declarations (docs/protocol.md "Chain topics"): the core's item rules
/// against the head. Reject what no honest node sends (bad encoding, signature, an inconsistent verdict, an empty span);
/// ignore what is merely not includable now (another epoch, a receipt not on this branch, a duplicate, a late verdict).
/// </summary>
public static class AccountabilityCheck
{
    public static (ValidationResult Verdict, RejectReason Reason, BodyItem? Item) Check(ChainState chain, BodyItemType type, ReadOnlySpan<byte> bytes, DateTimeOffset now)
    {
        if (bytes.Length != BodyItem.LengthOf(type)) return (ValidationResult.Reject, RejectReason.Malformed, null);
        BodyItem item;
        try { item = BodyItem.Decode(type, bytes); }
        catch (Exception e) when (e is ArgumentException or FormatException) { return (ValidationResult.Reject, RejectReason.Malformed, null); }
        if (!bytes.SequenceEqual(item.Encode())) return (ValidationResult.Reject, RejectReason.NonCanonicalEncoding, null);
        var reason = chain.CheckItem(item, now);
        if (reason == RejectReason.None) return (ValidationResult.Accept, reason, item);
        return (IsMisbehaviour(reason) ? ValidationResult.Reject : ValidationResult.Ignore, reason, null);
    }

    /// <summary>Reasons that hold on every branch and at every time: the sender relayed something no honest node signs.</summary>
    public static bool IsMisbehaviour(RejectReason reason) => reason is
        RejectReason.Malformed or RejectReason.NonCanonicalEncoding or
        RejectReason.ReceiptBadSignature or RejectReason.ReceiptInvalid or
        RejectReason.VerdictBadSignature or RejectReason.VerdictInconsistent or RejectReason.VerdictBySelf or
        RejectReason.DeclarationBadSignature or RejectReason.DeclarationInvalid;
}
