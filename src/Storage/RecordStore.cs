namespace P2P.Storage;

/// <summary>Typed access to a <see cref="LevelDatabase"/> by record family: one key prefix per family, big-endian integer keys.</summary>
public sealed class RecordStore(LevelDatabase database)
{
    public LevelDatabase Database { get; } = database;

    public byte[]? Get(RecordFamily family, ReadOnlySpan<byte> id, LevelDbSnapshot? snapshot = null) =>
        Database.Get(RecordKey.For(family, id), snapshot);

    public byte[]? Get(RecordFamily family, ulong number, LevelDbSnapshot? snapshot = null) =>
        Database.Get(RecordKey.For(family, number), snapshot);

    public void Put(RecordFamily family, ReadOnlySpan<byte> id, ReadOnlySpan<byte> value, bool sync = false) =>
        Database.Put(RecordKey.For(family, id), value, sync);

    public void Put(RecordFamily family, ulong number, ReadOnlySpan<byte> value, bool sync = false) =>
        Database.Put(RecordKey.For(family, number), value, sync);

    /// <summary>Every record of <paramref name="family"/> in key order; keys come back without the prefix.</summary>
    public IEnumerable<KeyValuePair<byte[], byte[]>> Scan(RecordFamily family, LevelDbSnapshot? snapshot = null)
    {
        foreach (var (key, value) in Database.ScanPrefix(RecordKey.For(family), snapshot))
            yield return new(RecordKey.Suffix(key).ToArray(), value);
    }

    /// <summary>Records of an integer-keyed family with <paramref name="from"/> ≤ number &lt; <paramref name="to"/>, in numeric order.</summary>
    public IEnumerable<KeyValuePair<ulong, byte[]>> ScanNumbers(RecordFamily family, ulong from, ulong to, LevelDbSnapshot? snapshot = null)
    {
        if (from >= to) yield break;
        foreach (var (key, value) in Database.ScanRange(RecordKey.For(family, from), RecordKey.For(family, to), snapshot))
        {
            if (key.Length == 1 + sizeof(ulong)) yield return new(RecordKey.ReadNumber(key), value);
        }
    }

    /// <summary>The highest-numbered record of an integer-keyed family, or null when it has none.</summary>
    public KeyValuePair<ulong, byte[]>? Last(RecordFamily family, LevelDbSnapshot? snapshot = null)
    {
        using var iterator = Database.CreateIterator(snapshot);
        if (family.Prefix == byte.MaxValue) iterator.SeekToLast();
        else iterator.Seek([(byte)(family.Prefix + 1)]);
        // Seek lands on the first key of the next family (or past the end): the previous entry is this family's last.
        if (iterator.IsValid) iterator.Prev(); else iterator.SeekToLast();
        for (; iterator.IsValid && !iterator.Key.IsEmpty && iterator.Key[0] == family.Prefix; iterator.Prev())
        {
            if (iterator.Key.Length == 1 + sizeof(ulong)) return new(RecordKey.ReadNumber(iterator.Key), iterator.Value.ToArray());
        }
        iterator.ThrowIfError();
        return null;
    }

    /// <summary>A batch whose operations name families; commit it with <see cref="Commit"/>.</summary>
    public RecordBatch CreateBatch() => new();

    /// <summary>Applies <paramref name="batch"/> atomically (one block = one batch, so a crash never leaves half a block).</summary>
    public void Commit(RecordBatch batch, bool sync = true) => Database.Write(batch.Inner, sync);
}
