using P2P.Consensus.Blocks;
using P2P.Consensus.Ledger;
using P2P.Consensus.Reasons;

namespace P2P.Consensus.Rules;

/// <summary>Applies a whole block to a ledger view: its items in order, its header as its miner's share, the validation lottery and verdict deadlines (§4.8), and at an epoch's last block the reward split.</summary>
public static class BlockApplier
{
    /// <summary>The first failing item's reason, or None with every effect written to the view.</summary>
    public static RejectReason Apply(LedgerView ledger, Block block, BlockContext context)
    {
        var math = context.Math;
        foreach (var item in block.Items)
        {
            var reason = ItemRules.Apply(ledger, item, context);
            if (reason != RejectReason.None) return reason;
        }
        ValidationRules.DrawReceipts(ledger, block, context);
        ValidationRules.CloseDeadlines(ledger, context);
        ledger.AddWeight(context.Epoch, block.Header.Miner, math.ShareCredit(block.Header.Bits));
        if (math.IsEpochEnd(block.Header.Height) && !CloseEpoch(ledger, math, context.Epoch)) return RejectReason.BalanceOverflow;
        return RejectReason.None;
    }

    private static bool CloseEpoch(LedgerView ledger, ChainMath math, ulong epoch)
    {
        var record = RewardSplit.Split(epoch, math.IssuanceOf(epoch), ledger.GetWeights(epoch), ledger.GetForfeits(epoch));
        foreach (var reward in record.Rewards)
            if (!reward.Forfeited && !ledger.Credit(reward.Miner, reward.Reward)) return false;
        var totals = ledger.GetTotals();
        if (ulong.MaxValue - totals.Issued < record.Issued || ulong.MaxValue - totals.Forfeited < record.Forfeited) return false;
        ledger.PutTotals(new LedgerTotals(totals.Issued + record.Issued, totals.Forfeited + record.Forfeited, epoch + 1));
        ledger.PutEpochRecord(record with
        {
            Validation = ledger.GetValidationCounts(epoch),
            Forfeits = ledger.GetForfeits(epoch).ToList(),
            MissedDeadlines = ledger.GetMissedDeadlines(epoch).ToList(),
        });
        ledger.DropShares(epoch);
        return true;
    }
}
