using P2P.Consensus.Blocks;
using P2P.Consensus.Ledger;
using P2P.Consensus.Reasons;
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

    /// <summary>
    /// The reason the next block on the current head would reject a receipt, verdict or service declaration (the rules of
    /// §4.5–§4.8 against the head, nothing changed); None when it would include it. For gossip and the pools.
    /// </summary>
    public RejectReason CheckItem(BodyItem item, DateTimeOffset now)
    {
        lock (_gate)
        {
            var header = NextHeader(new byte[32], now);
            try
            {
                return ItemRules.Apply(new LedgerView(new StateOverlay(new DatabaseStateReader(_database))), item, ContextFor(header));
            }
            catch (ArgumentException)
            {
                return RejectReason.Malformed;
            }
        }
    }

    /// <summary>
    /// Whether a gossiped share is worth keeping and relaying although its parent may be on another branch than the head's
    /// (a competing tip, a partition's side): of this chain, its epoch and height consistent, its parent a known block at
    /// the height below, its nBits the difficulty rule's output after that parent, no deeper than the share window below
    /// the next block, not yet credited on the head's chain, and its work meeting the share target but not the block
    /// target over the seed of the parent's branch. None when it is; <see cref="RejectReason.ParentUnknown"/> when the
    /// parent is not known here (yet), which is no misbehaviour. Nothing changes.
    /// </summary>
    public RejectReason CheckShareForRelay(Share share)
    {
        lock (_gate)
        {
            try
            {
                return CheckRelayedShare(share);
            }
            catch (ArgumentException)
            {
                return RejectReason.Malformed;
            }
        }
    }

    private RejectReason CheckRelayedShare(Share share)
    {
        var h = share.Header;
        if (!h.ChainId.AsSpan().SequenceEqual(ChainId)) return RejectReason.ShareWrongChainId;
        if (h.Version != BlockHeader.CurrentVersion || h.Height == 0) return RejectReason.ShareBadHeader;
        if (h.Epoch != Math.EpochOf(h.Height)) return RejectReason.ShareWrongEpoch;
        if (!_index.TryGetValue(Convert.ToHexString(h.ParentHash), out var parent)) return RejectReason.ParentUnknown;
        if (parent.Status == BlockStatus.Invalid || parent.Height + 1 != h.Height) return RejectReason.ShareNotOnChain;
        ulong next = _main[^1].Height + 1;
        if (h.Height < next && next - h.Height >= (ulong)Genesis.ShareWindow) return RejectReason.ShareTooDeep;
        if (h.Bits != Math.NextBits(h.Height, parent.Header.Timestamp)) return RejectReason.ShareWrongBits;
        var id = share.Id();
        if (new LedgerView(new DatabaseStateReader(_database)).HasShare(h.Epoch, id)) return RejectReason.ShareDuplicate;
        return ItemRules.CheckShareWork(Math, share, id, EpochSeedForChild(parent), _verifiedShares);
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
