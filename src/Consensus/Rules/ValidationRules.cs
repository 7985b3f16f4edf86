using P2P.Consensus.Accountability;
using P2P.Consensus.Blocks;
using P2P.Consensus.Ledger;
using P2P.Consensus.Reasons;

namespace P2P.Consensus.Rules;

/// <summary>
/// The ledger side of accountability (docs/consensus.md §4.6, §4.8): verdict entitlement and deadlines, the lottery
/// draw of a block's receipts, escalation by majority and the forfeits of the losing side.
/// </summary>
public static class ValidationRules
{
    public static RejectReason ApplyVerdict(LedgerView ledger, Verdict verdict, BlockContext context)
    {
        // A verdict signed in the epoch before the block's is accepted: a deadline may cross an epoch's end.
        if (!ItemRules.IsCurrentOrPrevious(verdict.Epoch, context.Epoch)) return RejectReason.VerdictWrongEpoch;
        if (!verdict.IsConsistent) return RejectReason.VerdictInconsistent;
        if (!verdict.HasValidSignature(context.ChainId)) return RejectReason.VerdictBadSignature;
        var receipt = ledger.GetReceipt(verdict.ReceiptId);
        if (receipt is null) return RejectReason.VerdictUnknownReceipt;
        if (receipt.Executor.AsSpan().SequenceEqual(verdict.Validator)) return RejectReason.VerdictBySelf;
        if (ledger.HasVerdict(verdict.ReceiptId, verdict.Validator)) return RejectReason.VerdictDuplicate;
        if (receipt.IsFinal) return RejectReason.VerdictReceiptFinal;

        ulong height = context.Header.Height;
        // The lottery of a receipt runs after its block is applied: nobody is entitled in the receipt's own block.
        if (receipt.Height >= height || !receipt.Drawn) return RejectReason.VerdictNotEntitled;
        int index = IndexOf(receipt.Validators, verdict.Validator);
        if (index < 0) return RejectReason.VerdictNotEntitled;
        if (index == 0)
        {
            if (receipt.State != ReceiptState.Open || height > receipt.Deadline) return RejectReason.VerdictTooLate;
        }
        else
        {
            if (!receipt.IsEscalated) return RejectReason.VerdictNotEntitled;
            if (receipt.State != ReceiptState.Open || height > receipt.EscalationDeadline) return RejectReason.VerdictTooLate;
        }

        var votes = receipt.Votes.Append(new ReceiptVote(verdict.Validator, verdict.Valid, verdict.Reason, height)).ToList();
        var updated = receipt with { Votes = votes };
        if (votes.Count == 1 && !verdict.Valid)
        {
            updated = updated with { EscalationDeadline = height + (ulong)context.Math.Genesis.VerdictDeadlineBlocks };
            ledger.AddDeadline(updated.EscalationDeadline, verdict.ReceiptId);
        }
        ledger.PutVerdict(verdict.ReceiptId, verdict.Validator, verdict.Valid, height);
        if ((votes.Count == 1 && verdict.Valid) || votes.Count >= receipt.Validators.Count) updated = Finalize(ledger, updated, context.Epoch);
        ledger.PutReceipt(verdict.ReceiptId, updated);
        return RejectReason.None;
    }

    /// <summary>
    /// Runs the lottery for every receipt of the block (after all its items, so its own declarations count and its hash is
    /// fixed): records whether it is drawn, the drawn validators and the first deadline, and counts it in the epoch.
    /// </summary>
    public static void DrawReceipts(LedgerView ledger, Block block, BlockContext context)
    {
        var genesis = context.Math.Genesis;
        var blockHash = block.Header.Hash();
        var counts = ledger.GetValidationCounts(context.Epoch);
        var candidates = new LotteryCandidates(ledger, context.Epoch);
        foreach (var receipt in block.Items.OfType<Receipt>())
        {
            var id = receipt.Id(context.ChainId);
            var record = ledger.GetReceipt(id) ?? throw new InvalidOperationException("a block's receipt is not recorded");
            var seed = ValidationLottery.Seed(context.EpochSeed, blockHash, id);
            bool drawn = ValidationLottery.IsDrawn(receipt.Deterministic, counts.Receipts, seed, genesis.FullValidationReceipts, genesis.ValidationRatePpm);
            counts = counts with { Receipts = counts.Receipts + 1 };
            if (!drawn) continue;
            counts = counts with { Drawn = counts.Drawn + 1 };
            var validators = ValidationLottery.DrawValidators(seed, candidates.For(receipt), 1 + genesis.EscalationSize);
            ulong deadline = context.Header.Height + (ulong)genesis.VerdictDeadlineBlocks;
            var state = validators.Count == 0 ? ReceiptState.Unvalidated : ReceiptState.Open;
            ledger.PutReceipt(id, record with { Drawn = true, Validators = validators, Deadline = deadline, State = state });
            if (state == ReceiptState.Open) ledger.AddDeadline(deadline, id);
        }
        ledger.PutValidationCounts(context.Epoch, counts);
    }

    /// <summary>
    /// Closes the deadlines that end at this block's height (after its verdicts): a receipt whose first validator did not
    /// judge stays unvalidated; an escalation closes by the majority of the verdicts in (a tie is valid). Every drawn
    /// validator who did not vote in time is noted in the epoch.
    /// </summary>
    public static void CloseDeadlines(LedgerView ledger, BlockContext context)
    {
        foreach (var id in ledger.TakeDeadlines(context.Header.Height))
        {
            var record = ledger.GetReceipt(id);
            if (record is null || record.State != ReceiptState.Open) continue;
            if (record.Votes.Count == 0)
            {
                NoteMissed(ledger, context.Epoch, record.Validators[0]);
                ledger.PutReceipt(id, record with { State = ReceiptState.Unvalidated });
            }
            else if (record.IsEscalated && record.EscalationDeadline == context.Header.Height)
            {
                foreach (var validator in record.Validators.Skip(1))
                    if (IndexOf(record.Votes.Select(v => v.Validator).ToList(), validator) < 0) NoteMissed(ledger, context.Epoch, validator);
                ledger.PutReceipt(id, Finalize(ledger, record, context.Epoch));
            }
        }
    }

    /// <summary>Makes the receipt final by majority of its verdicts (a tie is valid: an honest executor's exact result can always be reproduced); the losing side forfeits <paramref name="epoch"/>'s reward.</summary>
    private static ReceiptRecord Finalize(LedgerView ledger, ReceiptRecord record, ulong epoch)
    {
        int invalid = record.Votes.Count(v => !v.Valid);
        bool executorLost = invalid > record.Votes.Count - invalid;
        var final = record with { State = executorLost ? ReceiptState.FinalInvalid : ReceiptState.FinalValid };
        foreach (var key in final.Forfeits()) ledger.AddForfeit(epoch, key);
        var counts = ledger.GetValidationCounts(epoch);
        ledger.PutValidationCounts(epoch, executorLost ? counts with { Invalid = counts.Invalid + 1 } : counts with { Valid = counts.Valid + 1 });
        return final;
    }

    private static void NoteMissed(LedgerView ledger, ulong epoch, byte[] validator)
    {
        ledger.AddMissedDeadline(epoch, validator);
        var counts = ledger.GetValidationCounts(epoch);
        ledger.PutValidationCounts(epoch, counts with { MissedDeadlines = counts.MissedDeadlines + 1 });
    }

    private static int IndexOf(IReadOnlyList<byte[]> keys, byte[] key)
    {
        for (int i = 0; i < keys.Count; i++)
            if (keys[i].AsSpan().SequenceEqual(key)) return i;
        return -1;
    }
}
