using P2P.Storage;
using P2P.Testing;

namespace P2P.Storage.Tests;

public sealed class RecordStoreTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly LevelDatabase db;
    private readonly RecordStore store;

    public RecordStoreTests()
    {
        db = LevelDatabase.Open(temp.Sub("db"));
        store = new RecordStore(db);
    }

    [Fact]
    public void IntegerKeys_AreBigEndian_SoByteOrderIsNumericOrder()
    {
        Assert.Equal(new byte[] { 0x02, 0, 0, 0, 0, 0, 0, 0x01, 0x00 }, RecordKey.For(RecordFamilies.MainChain, 256));
        Assert.Equal(256UL, RecordKey.ReadNumber(RecordKey.For(RecordFamilies.MainChain, 256)));
        Assert.Equal(new byte[] { 0x01, 0xAA, 0xBB }, RecordKey.For(RecordFamilies.Blocks, [0xAA, 0xBB]));
        Assert.Equal(new byte[] { 0x06, 0, 0, 0, 0, 0, 0, 0, 0x05, 0xCC }, RecordKey.For(RecordFamilies.Undo, 5, [0xCC]));
        Assert.Throws<ArgumentException>(() => RecordKey.ReadNumber([0x02, 1]));

        foreach (var height in new ulong[] { 65536, 1, 255, 256, 0, ulong.MaxValue, 70000 })
            store.Put(RecordFamilies.MainChain, height, BitConverter.GetBytes(height));
        Assert.Equal(new ulong[] { 0, 1, 255, 256, 65536, 70000, ulong.MaxValue },
            store.Scan(RecordFamilies.MainChain).Select(e => System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(e.Key)));
        Assert.Equal(new ulong[] { 255, 256, 65536 }, store.ScanNumbers(RecordFamilies.MainChain, 2, 70000).Select(e => e.Key));
        Assert.Empty(store.ScanNumbers(RecordFamilies.MainChain, 5, 5));
    }

    [Fact]
    public void Families_AreIsolatedKeyRanges()
    {
        store.Put(RecordFamilies.Blocks, [1, 2, 3], [9]);
        store.Put(RecordFamilies.Ledger, [1, 2, 3], [8]);
        store.Put(RecordFamilies.MainChain, 7, [7]);

        Assert.Equal([9], store.Get(RecordFamilies.Blocks, [1, 2, 3]));
        Assert.Equal([8], store.Get(RecordFamilies.Ledger, [1, 2, 3]));
        Assert.Equal([7], store.Get(RecordFamilies.MainChain, 7));
        Assert.Null(store.Get(RecordFamilies.Shares, [1, 2, 3]));
        var blocks = Assert.Single(store.Scan(RecordFamilies.Blocks));
        Assert.Equal(new byte[] { 1, 2, 3 }, blocks.Key);
        Assert.Equal(RecordFamilies.All.Count, RecordFamilies.All.Select(f => f.Prefix).Distinct().Count());
    }

    [Fact]
    public void Last_FindsHighestNumber_EvenWithAFollowingFamily()
    {
        Assert.Null(store.Last(RecordFamilies.MainChain));
        store.Put(RecordFamilies.MainChain, 3, [3]);
        store.Put(RecordFamilies.MainChain, 300, [44]);
        store.Put(RecordFamilies.Ledger, [0], [0]);
        var last = store.Last(RecordFamilies.MainChain);
        Assert.Equal(300UL, last!.Value.Key);
        Assert.Equal([44], last.Value.Value);

        store.Put(RecordFamilies.Undo, 12, [12]);
        Assert.Equal(12UL, store.Last(RecordFamilies.Undo)!.Value.Key);
    }

    [Fact]
    public void Batch_CommitsAllFamiliesAtOnce()
    {
        store.Put(RecordFamilies.Shares, [5], [5]);
        using var snapshot = db.CreateSnapshot();
        using var batch = store.CreateBatch();
        batch.Put(RecordFamilies.Blocks, [0xAB], [1]).Put(RecordFamilies.MainChain, 1, [0xAB]).Delete(RecordFamilies.Shares, [5]).Put(RecordFamilies.Undo, 1, [2]);
        Assert.Equal(4, batch.Count);
        store.Commit(batch);

        Assert.Equal([0xAB], store.Get(RecordFamilies.MainChain, 1));
        Assert.Null(store.Get(RecordFamilies.Shares, [5]));
        Assert.Equal([5], store.Get(RecordFamilies.Shares, [5], snapshot));
        Assert.Null(store.Get(RecordFamilies.Blocks, [0xAB], snapshot));
    }

    public void Dispose()
    {
        db.Dispose();
        temp.Dispose();
    }
}
