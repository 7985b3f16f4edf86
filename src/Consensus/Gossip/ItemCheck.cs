using P2P.Consensus.Blocks;
using P2P.Consensus.Reasons;
using P2P.Consensus.Rules;
using P2P.Consensus.State;
using P2P.Networking.Pubsub;
using P2P.Work;

namespace P2P.Consensus.Gossip;

/// <summary>
/// Gossip checks of a share or transfer before it is pooled and forwarded. Reject only what no honest node sends
/// (bad encoding, signature, work, bits); ignore what is merely not useful now (stale, unknown parent, duplicate).
/// </summary>
public static class ItemCheck
{
    public static (ValidationResult Verdict, RejectReason Reason, Share? Share) Share(ChainState chain, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Blocks.Share.EncodedLength) return (ValidationResult.Reject, RejectReason.Malformed, null);
        BlockHeader header;
        try { header = BlockHeader.Decode(bytes); }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidDataException) { return (ValidationResult.Reject, RejectReason.Malformed, null); }
        var share = new Share(header);
        var math = chain.Math;
        if (!header.ChainId.AsSpan().SequenceEqual(chain.ChainId)) return (ValidationResult.Reject, RejectReason.ShareWrongChainId, null);
        if (header.Version != BlockHeader.CurrentVersion || header.Height == 0) return (ValidationResult.Reject, RejectReason.ShareBadHeader, null);
        if (header.Epoch != math.EpochOf(header.Height)) return (ValidationResult.Reject, RejectReason.ShareWrongEpoch, null);
        var parent = chain.GetHeader(header.ParentHash);
        if (parent is null) return (ValidationResult.Ignore, RejectReason.ParentUnknown, null);
        if (parent.Height + 1 != header.Height) return (ValidationResult.Reject, RejectReason.ShareNotOnChain, null);
        if (header.Bits != math.NextBits(header.Height, parent.Timestamp)) return (ValidationResult.Reject, RejectReason.ShareWrongBits, null);
        var head = chain.Head;
        ulong nextHeight = head.Height + 1;
        if (header.Epoch != math.EpochOf(nextHeight) || header.Height > nextHeight || nextHeight - header.Height >= (ulong)chain.Genesis.ShareWindow)
            return (ValidationResult.Ignore, RejectReason.ShareTooDeep, null);
        if (chain.IsShareCredited(header.Epoch, share.Id())) return (ValidationResult.Ignore, RejectReason.ShareDuplicate, null);
        // The work function directly (not Mining.HeaderWork): the miner publishes through this namespace.
        var work = WorkFunction.Hash(chain.Genesis.Profile, chain.EpochSeedForChildOf(header.ParentHash), header.WorkChallenge(), header.Nonce);
        if (WorkHash.MeetsTarget(work, ChainMath.TargetBytes(Difficulty.CompactTarget.Decode(header.Bits))))
            return (ValidationResult.Ignore, RejectReason.ShareMeetsBlockTarget, null);
        return WorkHash.MeetsTarget(work, ChainMath.TargetBytes(math.ShareTarget(header.Bits)))
            ? (ValidationResult.Accept, RejectReason.None, share)
            : (ValidationResult.Reject, RejectReason.ShareInsufficientWork, null);
    }

    public static (ValidationResult Verdict, RejectReason Reason, Transfer? Transfer) Transfer(ChainState chain, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Blocks.Transfer.EncodedLength) return (ValidationResult.Reject, RejectReason.Malformed, null);
        Transfer transfer;
        try { transfer = Blocks.Transfer.Decode(bytes); }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidDataException) { return (ValidationResult.Reject, RejectReason.Malformed, null); }
        if (!transfer.HasValidSignature(chain.ChainId)) return (ValidationResult.Reject, RejectReason.TransferBadSignature, null);
        if (transfer.Amount > ulong.MaxValue - transfer.Fee) return (ValidationResult.Reject, RejectReason.TransferInvalid, null);
        if (transfer.Nonce < chain.GetAccount(transfer.From).Nonce) return (ValidationResult.Ignore, RejectReason.TransferWrongNonce, null);
        return (ValidationResult.Accept, RejectReason.None, transfer);
    }
}
