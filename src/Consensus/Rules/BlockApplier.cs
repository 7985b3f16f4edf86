using P2P.Consensus.Blocks;
using P2P.Consensus.Ledger;
using P2P.Consensus.Reasons;

namespace P2P.Consensus.Rules;

/// <summary>Applies a whole block to a ledger view: its items in order, its header as its miner's share, and at an epoch's last block the reward split.</summary>
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
        ledger.PutEpochRecord(record);
        ledger.DropShares(epoch);
        return true;
    }
}
