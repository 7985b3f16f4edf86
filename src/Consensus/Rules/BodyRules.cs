using P2P.Consensus.Blocks;
using P2P.Consensus.Reasons;

namespace P2P.Consensus.Rules;

/// <summary>Checks that need nothing but the block and genesis (docs/consensus.md §4.1).</summary>
public static class BodyRules
{
    public static RejectReason Check(ChainMath math, Block block)
    {
        var header = block.Header;
        if (!header.ChainId.AsSpan().SequenceEqual(math.ChainId)) return RejectReason.WrongChainId;
        if (header.Version != BlockHeader.CurrentVersion) return RejectReason.UnsupportedVersion;
        if (header.Miner.Length != BlockHeader.KeyLength) return RejectReason.BadMinerKey;
        if (block.Items.Count > Block.MaxItems) return RejectReason.TooManyItems;
        if (block.EncodedLength > math.Genesis.MaxBlockBytes) return RejectReason.BlockTooLarge;
        if (block.Items.Count(i => i.Type == BodyItemType.Share) > math.MaxSharesPerBlock) return RejectReason.TooManyShares;
        for (int i = 1; i < block.Items.Count; i++)
            if (block.Items[i].Type < block.Items[i - 1].Type) return RejectReason.ItemsOutOfOrder;
        if (!header.BodyRoot.AsSpan().SequenceEqual(block.ComputeBodyRoot())) return RejectReason.BadBodyRoot;
        return RejectReason.None;
    }
}
