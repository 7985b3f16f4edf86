using P2P.Consensus.Encoding;

namespace P2P.Consensus.Blocks;

/// <summary>A header and its body items (docs/consensus.md §2.2): header ‖ u32 count ‖ per item (u8 type ‖ u32 length ‖ item).</summary>
public sealed record Block(BlockHeader Header, IReadOnlyList<BodyItem> Items)
{
    /// <summary>A body never holds more items than this, whatever the byte cap.</summary>
    public const int MaxItems = 8192;

    public byte[] Hash() => Header.Hash();

    public byte[] Encode()
    {
        var w = new CanonicalWriter().Fixed(Header.Encode(), BlockHeader.EncodedLength).U32((uint)Items.Count);
        foreach (var item in Items) w.U8((byte)item.Type).Bytes(item.Encode());
        return w.ToArray();
    }

    public int EncodedLength
    {
        get
        {
            int length = BlockHeader.EncodedLength + 4;
            foreach (var item in Items) length += 5 + BodyItem.LengthOf(item.Type);
            return length;
        }
    }

    public byte[] ComputeBodyRoot() => MerkleTree.Root(Items);
}
