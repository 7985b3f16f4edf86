using P2P.Consensus.Encoding;

namespace P2P.Consensus.Blocks;

/// <summary>The body root (docs/consensus.md §2.3): leaves SHA-256(0x00 ‖ type ‖ item), nodes SHA-256(0x01 ‖ left ‖ right), an odd last node moves up unchanged, the empty body has 32 zero bytes.</summary>
public static class MerkleTree
{
    public static byte[] Root(IReadOnlyList<BodyItem> items)
    {
        if (items.Count == 0) return new byte[32];
        var level = new List<byte[]>(items.Count);
        foreach (var item in items)
            level.Add(Hashing.Sha256([0x00, (byte)item.Type], item.Encode()));
        while (level.Count > 1)
        {
            var next = new List<byte[]>((level.Count + 1) / 2);
            for (int i = 0; i + 1 < level.Count; i += 2)
                next.Add(Hashing.Sha256([0x01, .. level[i]], level[i + 1]));
            // Carrying the odd node up (instead of pairing it with itself) keeps distinct bodies from sharing a root.
            if (level.Count % 2 == 1) next.Add(level[^1]);
            level = next;
        }
        return level[0];
    }
}
