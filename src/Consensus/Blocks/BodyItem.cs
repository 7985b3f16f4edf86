namespace P2P.Consensus.Blocks;

/// <summary>One typed item of a block body; its encoding is fixed-size per type.</summary>
public abstract record BodyItem
{
    public abstract BodyItemType Type { get; }

    public abstract byte[] Encode();

    /// <summary>The exact encoded size of an item of <paramref name="type"/>, or −1 for an unknown type.</summary>
    public static int LengthOf(BodyItemType type) => type switch
    {
        BodyItemType.Share => Share.EncodedLength,
        BodyItemType.Transfer => Transfer.EncodedLength,
        BodyItemType.Receipt => Receipt.EncodedLength,
        BodyItemType.Verdict => Verdict.EncodedLength,
        BodyItemType.ServiceDeclaration => ServiceDeclaration.EncodedLength,
        _ => -1,
    };

    /// <summary>Decodes an item; the caller checks the re-encoding equals the input (canonical form).</summary>
    public static BodyItem Decode(BodyItemType type, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != LengthOf(type)) throw new FormatException($"{type} item of {bytes.Length} bytes");
        return type switch
        {
            BodyItemType.Share => new Share(BlockHeader.Decode(bytes)),
            BodyItemType.Transfer => Transfer.Decode(bytes),
            BodyItemType.Receipt => Receipt.Decode(bytes),
            BodyItemType.Verdict => Verdict.Decode(bytes),
            BodyItemType.ServiceDeclaration => ServiceDeclaration.Decode(bytes),
            _ => throw new FormatException($"unknown item type {(byte)type}"),
        };
    }
}
