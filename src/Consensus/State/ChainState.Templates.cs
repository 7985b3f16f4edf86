using P2P.Consensus.Blocks;
using P2P.Consensus.Ledger;
using P2P.Consensus.Rules;

namespace P2P.Consensus.State;

// Block templates for miners.
public sealed partial class ChainState
{
    /// <summary>
    /// A block extending the tip with nonce 0: timestamp max(now, MTP + 1), nBits from ASERT, the epoch, and those
    /// candidate items (in body order) that are valid one after another against the current ledger, within the size cap.
    /// </summary>
    public Block BuildTemplate(byte[] miner, IEnumerable<BodyItem> candidates, DateTimeOffset now)
    {
        lock (_gate)
        {
            var header = NextHeader(miner, now);
            var context = ContextFor(header);
            var overlay = new StateOverlay(new DatabaseStateReader(_database));
            var items = new List<BodyItem>();
            int size = BlockHeader.EncodedLength + 4, shares = 0;
            foreach (var item in candidates.OrderBy(i => i.Type))
            {
                int itemSize = 5 + BodyItem.LengthOf(item.Type);
                if (size + itemSize > Genesis.MaxBlockBytes || items.Count >= Block.MaxItems) break;
                if (item.Type == BodyItemType.Share && shares == Math.MaxSharesPerBlock) continue;
                var trial = new StateOverlay(overlay);
                if (ItemRules.Apply(new LedgerView(trial), item, context) != RejectReason.None) continue;
                trial.MergeInto(overlay);
                items.Add(item);
                if (item.Type == BodyItemType.Share) shares++;
                size += itemSize;
            }
            return new Block(header with { BodyRoot = MerkleTree.Root(items) }, items);
        }
    }

    /// <summary>
    /// Whether a share could be credited by the next block on the current head (for relaying and gossip scoring):
    /// the share rules of §4.3 against the head, without changing anything. None when it could.
    /// </summary>
    public RejectReason CheckShare(Share share, DateTimeOffset now)
    {
        lock (_gate)
        {
            var header = NextHeader(new byte[32], now);
            try
            {
                return ItemRules.ApplyShare(new LedgerView(new StateOverlay(new DatabaseStateReader(_database))), share, ContextFor(header));
            }
            catch (ArgumentException)
            {
                return RejectReason.Malformed;
            }
        }
    }

    /// <summary>The header of the block that would extend the tip, body root zero and nonce 0.</summary>
    private BlockHeader NextHeader(byte[] miner, DateTimeOffset now)
    {
        var tip = _main[^1];
        ulong height = tip.Height + 1;
        return new BlockHeader
        {
            ChainId = ChainId,
            Height = height,
            ParentHash = tip.Hash,
            Timestamp = System.Math.Max(now.ToUnixTimeSeconds(), HeaderRules.MedianTimePast(RecentTimestamps(tip)) + 1),
            Bits = Math.NextBits(height, tip.Header.Timestamp),
            Epoch = Math.EpochOf(height),
            BodyRoot = new byte[32],
            Miner = miner,
        };
    }
}
