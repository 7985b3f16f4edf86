using System.Buffers.Binary;
using P2P.Consensus.Blocks;

namespace P2P.Consensus.Simulation.Chain;

/// <summary>A file of blocks, each as a u32 big-endian length then its canonical encoding (used by the crash test and the bench).</summary>
public static class BlockFile
{
    public const int MaxBlockBytes = 32 << 20;

    public static void Write(string path, IEnumerable<Block> blocks)
    {
        using var stream = File.Create(path);
        Span<byte> length = stackalloc byte[4];
        foreach (var block in blocks)
        {
            var bytes = block.Encode();
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
            stream.Write(length);
            stream.Write(bytes);
        }
    }

    public static IReadOnlyList<Block> Read(string path)
    {
        var data = File.ReadAllBytes(path);
        var blocks = new List<Block>();
        int offset = 0;
        while (offset < data.Length)
        {
            if (data.Length - offset < 4) throw new FormatException($"{path}: truncated length at byte {offset}");
            uint length = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset));
            offset += 4;
            if (length > MaxBlockBytes || length > data.Length - offset) throw new FormatException($"{path}: block of {length} bytes at byte {offset}");
            if (!BlockCodec.TryDecode(data.AsSpan(offset, (int)length), MaxBlockBytes, out var block, out var reason))
                throw new FormatException($"{path}: block {blocks.Count + 1} does not decode ({reason})");
            blocks.Add(block!);
            offset += (int)length;
        }
        return blocks;
    }
}
