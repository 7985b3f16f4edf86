using P2P.Consensus.Encoding;

namespace P2P.Consensus.State;

/// <summary>The previous value (or absence) of every state key a block changed: writing it back disconnects the block.</summary>
public sealed record UndoRecord(IReadOnlyList<(byte[] Key, byte[]? Previous)> Entries)
{
    private const int MaxEntries = 1 << 22;
    private const int MaxField = 1 << 24;

    public byte[] Encode()
    {
        var w = new CanonicalWriter().U32((uint)Entries.Count);
        foreach (var (key, previous) in Entries)
        {
            w.Bytes(key).U8(previous is null ? (byte)0 : (byte)1);
            if (previous is not null) w.Bytes(previous);
        }
        return w.ToArray();
    }

    public static UndoRecord Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new CanonicalReader(bytes);
        uint count = r.U32();
        if (count > MaxEntries) throw new FormatException("undo record too long");
        var entries = new List<(byte[], byte[]?)>((int)count);
        for (uint i = 0; i < count; i++)
        {
            var key = r.Bytes(MaxField);
            byte present = r.U8();
            entries.Add((key, present switch { 0 => null, 1 => r.Bytes(MaxField), _ => throw new FormatException("bad undo flag") }));
        }
        r.ExpectEnd();
        return new UndoRecord(entries);
    }
}
