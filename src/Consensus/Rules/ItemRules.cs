using P2P.Consensus.Blocks;
using P2P.Consensus.Ledger;
using P2P.Consensus.Reasons;
using P2P.Work;

namespace P2P.Consensus.Rules;

/// <summary>Validity and ledger effect of each body item in the context of its block (docs/consensus.md §4.3–§4.6). Writes go to the view only when the item is valid.</summary>
public static class ItemRules
{
    public static RejectReason Apply(LedgerView ledger, BodyItem item, BlockContext context) => item switch
    {
        Share share => ApplyShare(ledger, share, context),
        Transfer transfer => ApplyTransfer(ledger, transfer, context),
        Receipt receipt => ApplyReceipt(ledger, receipt, context),
        Verdict verdict => ApplyVerdict(ledger, verdict, context),
        ServiceDeclaration declaration => ApplyDeclaration(ledger, declaration, context),
        _ => RejectReason.Malformed,
    };

    public static RejectReason ApplyShare(LedgerView ledger, Share share, BlockContext context)
    {
        var math = context.Math;
        var h = share.Header;
        var block = context.Header;
        if (!h.ChainId.AsSpan().SequenceEqual(context.ChainId)) return RejectReason.ShareWrongChainId;
        if (h.Version != BlockHeader.CurrentVersion || h.Height == 0) return RejectReason.ShareBadHeader;
        if (h.Epoch != block.Epoch || math.EpochOf(h.Height) != block.Epoch) return RejectReason.ShareWrongEpoch;
        // The share's parent must be the including block's parent or one of the W − 1 blocks below it.
        if (h.Height > block.Height) return RejectReason.ShareNotOnChain;
        ulong depth = block.Height - h.Height;
        if (depth >= (ulong)math.Genesis.ShareWindow) return RejectReason.ShareTooDeep;
        var (parentHash, _) = context.Ancestor(h.Height - 1);
        if (!parentHash.AsSpan().SequenceEqual(h.ParentHash)) return RejectReason.ShareNotOnChain;
        // A sibling of the block at the share's height needs the same nBits (ASERT depends on height and parent time only).
        uint requiredBits = h.Height == block.Height ? block.Bits : context.Ancestor(h.Height).Header.Bits;
        if (h.Bits != requiredBits) return RejectReason.ShareWrongBits;
        var id = share.Id();
        if (ledger.HasShare(block.Epoch, id)) return RejectReason.ShareDuplicate;
        var work = CheckShareWork(math, share, id, context.EpochSeed, context.VerifiedShares);
        if (work != RejectReason.None) return work;
        ledger.PutShare(block.Epoch, id, block.Height);
        ledger.AddWeight(block.Epoch, h.Miner, math.ShareCredit(h.Bits));
        return RejectReason.None;
    }

    /// <summary>
    /// The share's work hash over <paramref name="epochSeed"/> meets the share target but not the block target. A pass is
    /// remembered in <paramref name="cache"/> (when given) and not recomputed.
    /// </summary>
    public static RejectReason CheckShareWork(ChainMath math, Share share, byte[] shareId, byte[] epochSeed, VerifiedShareCache? cache)
    {
        if (cache?.Contains(shareId, epochSeed) == true) return RejectReason.None;
        var h = share.Header;
        var workHash = WorkFunction.Hash(math.Genesis.Profile, epochSeed, h.WorkChallenge(), h.Nonce);
        if (!WorkHash.MeetsTarget(workHash, ChainMath.TargetBytes(math.ShareTarget(h.Bits)))) return RejectReason.ShareInsufficientWork;
        if (WorkHash.MeetsTarget(workHash, ChainMath.TargetBytes(Difficulty.CompactTarget.Decode(h.Bits)))) return RejectReason.ShareMeetsBlockTarget;
        cache?.Add(shareId, epochSeed);
        return RejectReason.None;
    }

    public static RejectReason ApplyTransfer(LedgerView ledger, Transfer transfer, BlockContext context)
    {
        if (!transfer.HasValidSignature(context.ChainId)) return RejectReason.TransferBadSignature;
        var sender = ledger.GetAccount(transfer.From);
        if (transfer.Nonce != sender.Nonce || sender.Nonce == ulong.MaxValue) return RejectReason.TransferWrongNonce;
        if (ulong.MaxValue - transfer.Amount < transfer.Fee) return RejectReason.TransferInvalid;
        ulong debit = transfer.Amount + transfer.Fee;
        if (debit > sender.Balance) return RejectReason.TransferOverspend;
        // Check both credits before writing anything, so a rejected transfer leaves the view untouched; the sender,
        // the recipient and the miner may be the same account.
        var balances = new Dictionary<string, ulong> { [Convert.ToHexString(transfer.From)] = sender.Balance - debit };
        if (!TryCredit(balances, ledger, transfer.To, transfer.Amount) || !TryCredit(balances, ledger, context.Header.Miner, transfer.Fee))
            return RejectReason.BalanceOverflow;
        ledger.PutAccount(transfer.From, new Account(sender.Balance - debit, sender.Nonce + 1));
        ledger.Credit(transfer.To, transfer.Amount);
        ledger.Credit(context.Header.Miner, transfer.Fee);
        return RejectReason.None;
    }

    private static bool TryCredit(Dictionary<string, ulong> balances, LedgerView ledger, byte[] key, ulong amount)
    {
        string hex = Convert.ToHexString(key);
        ulong balance = balances.TryGetValue(hex, out var known) ? known : ledger.GetAccount(key).Balance;
        if (ulong.MaxValue - balance < amount) return false;
        balances[hex] = balance + amount;
        return true;
    }

    /// <summary>
    /// Records the receipt as not yet drawn; the lottery runs once the whole block is applied (<see cref="ValidationRules.DrawReceipts"/>), because it needs the block's hash.
    /// A receipt signed in the epoch before the block's is accepted, like a verdict: one signed just before an epoch's
    /// last block would otherwise be lost (docs/consensus.md §4.5).
    /// </summary>
    public static RejectReason ApplyReceipt(LedgerView ledger, Receipt receipt, BlockContext context)
    {
        if (!IsCurrentOrPrevious(receipt.Epoch, context.Epoch)) return RejectReason.ReceiptWrongEpoch;
        if (receipt.ShardStart >= receipt.ShardEnd) return RejectReason.ReceiptInvalid;
        if (!receipt.HasValidSignature(context.ChainId)) return RejectReason.ReceiptBadSignature;
        var id = receipt.Id(context.ChainId);
        if (ledger.GetReceipt(id) is not null) return RejectReason.ReceiptDuplicate;
        ledger.PutReceipt(id, new ReceiptRecord(receipt.Executor, receipt.Epoch, context.Header.Height, context.Header.Hash(), receipt.Deterministic,
            Drawn: false, Validators: [], Deadline: 0, EscalationDeadline: 0, Votes: [], ReceiptState.NotDrawn));
        return RejectReason.None;
    }

    /// <summary>Whether an item signed in <paramref name="itemEpoch"/> may be included in a block of <paramref name="blockEpoch"/>: the same epoch or the one before.</summary>
    public static bool IsCurrentOrPrevious(ulong itemEpoch, ulong blockEpoch) => itemEpoch == blockEpoch || (blockEpoch > 0 && itemEpoch == blockEpoch - 1);

    /// <summary>A verdict counts only from a validator the lottery drew for the receipt, within its deadline (docs/consensus.md §4.6, §4.8).</summary>
    public static RejectReason ApplyVerdict(LedgerView ledger, Verdict verdict, BlockContext context) => ValidationRules.ApplyVerdict(ledger, verdict, context);

    /// <summary>Records a node as serving a model span in the block's epoch (a lottery candidate for receipts of that span).</summary>
    public static RejectReason ApplyDeclaration(LedgerView ledger, ServiceDeclaration declaration, BlockContext context)
    {
        if (declaration.Epoch != context.Epoch) return RejectReason.DeclarationWrongEpoch;
        if (declaration.ShardStart >= declaration.ShardEnd) return RejectReason.DeclarationInvalid;
        if (!declaration.HasValidSignature(context.ChainId)) return RejectReason.DeclarationBadSignature;
        if (ledger.HasDeclaration(declaration.Model, declaration.Epoch, declaration.Node, declaration.ShardStart, declaration.ShardEnd))
            return RejectReason.DeclarationDuplicate;
        ledger.PutDeclaration(declaration.Model, declaration.Epoch, declaration.Node, declaration.ShardStart, declaration.ShardEnd, context.Header.Height);
        return RejectReason.None;
    }
}
