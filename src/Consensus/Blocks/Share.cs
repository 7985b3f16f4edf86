namespace P2P.Consensus.Blocks;

/// <summary>A header that met the share target but not the block target: proof of work credited to its miner within the epoch.</summary>
public sealed record Share(BlockHeader Header) : BodyItem
{
    public const int EncodedLength = BlockHeader.EncodedLength;

    public override BodyItemType Type => BodyItemType.Share;

    public override byte[] Encode() => Header.Encode();

    /// <summary>The share's identity (the hash of its header), indexed so it is credited once.</summary>
    public byte[] Id() => Header.Hash();
}
