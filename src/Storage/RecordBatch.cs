namespace P2P.Storage;

/// <summary>An atomic write batch addressed by record family.</summary>
public sealed class RecordBatch : IDisposable
{
    internal LevelDbWriteBatch Inner { get; } = new();

    public int Count => Inner.Count;

    public RecordBatch Put(RecordFamily family, ReadOnlySpan<byte> id, ReadOnlySpan<byte> value)
    {
        Inner.Put(RecordKey.For(family, id), value);
        return this;
    }

    public RecordBatch Put(RecordFamily family, ulong number, ReadOnlySpan<byte> value)
    {
        Inner.Put(RecordKey.For(family, number), value);
        return this;
    }

    public RecordBatch Delete(RecordFamily family, ReadOnlySpan<byte> id)
    {
        Inner.Delete(RecordKey.For(family, id));
        return this;
    }

    public RecordBatch Delete(RecordFamily family, ulong number)
    {
        Inner.Delete(RecordKey.For(family, number));
        return this;
    }

    public void Dispose() => Inner.Dispose();
}
