using P2P.Consensus.Encoding;
using P2P.Consensus.Reasons;

namespace P2P.Consensus.Blocks;

/// <summary>Decodes untrusted block bytes: caps first, then strict decoding, then decode-then-encode must give the input back.</summary>
public static class BlockCodec
{
    public static bool TryDecode(ReadOnlySpan<byte> bytes, int maxBlockBytes, out Block? block, out RejectReason reason)
    {
        block = null;
        if (bytes.Length > maxBlockBytes)
        {
            reason = RejectReason.BlockTooLarge;
            return false;
        }
        try
        {
            var r = new CanonicalReader(bytes);
            var header = BlockHeader.Decode(r.Fixed(BlockHeader.EncodedLength));
            uint count = r.U32();
            if (count > Block.MaxItems)
            {
                reason = RejectReason.TooManyItems;
                return false;
            }
            var items = new List<BodyItem>((int)count);
            for (int i = 0; i < count; i++)
            {
                var type = (BodyItemType)r.U8();
                int expected = BodyItem.LengthOf(type);
                if (expected < 0) throw new FormatException($"unknown item type {(byte)type}");
                items.Add(BodyItem.Decode(type, r.Bytes(expected)));
            }
            r.ExpectEnd();
            block = new Block(header, items);
        }
        catch (FormatException)
        {
            reason = RejectReason.Malformed;
            return false;
        }
        if (!bytes.SequenceEqual(block.Encode()))
        {
            block = null;
            reason = RejectReason.NonCanonicalEncoding;
            return false;
        }
        reason = RejectReason.None;
        return true;
    }
}
