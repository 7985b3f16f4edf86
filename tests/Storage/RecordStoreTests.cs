using P2P.Storage;
using P2P.Testing;

namespace P2P.Storage.Tests;

public sealed class RecordStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly LevelDatabase _db;
    private readonly RecordStore _store;

    public RecordStoreTests()
    {
        _db = LevelDatabase.Open(_temp.Sub("db"));
        _store = new RecordStore(_db);
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
            _store.Put(RecordFamilies.MainChain, height, BitConverter.GetBytes(height));
        Assert.Equal(new ulong[] { 0, 1, 255, 256, 65536, 70000, ulong.MaxValue },
            _store.Scan(RecordFamilies.MainChain).Select(e => System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(e.Key)));
        Assert.Equal(new ulong[] { 255, 256, 65536 }, _store.ScanNumbers(RecordFamilies.MainChain, 2, 70000).Select(e => e.Key));
        Assert.Empty(_store.ScanNumbers(RecordFamilies.MainChain, 5, 5));
    }

    [Fact]
    public void Families_AreIsolatedKeyRanges()
    {
        _store.Put(RecordFamilies.Blocks, [1, 2, 3], [9]);
        _store.Put(RecordFamilies.Ledger, [1, 2, 3], [8]);
        _store.Put(RecordFamilies.MainChain, 7, [7]);

        Assert.Equal([9], _store.Get(RecordFamilies.Blocks, [1, 2, 3]));
        Assert.Equal([8], _store.Get(RecordFamilies.Ledger, [1, 2, 3]));
        Assert.Equal([7], _store.Get(RecordFamilies.MainChain, 7));
        Assert.Null(_store.Get(RecordFamilies.Shares, [1, 2, 3]));
        var blocks = Assert.Single(_store.Scan(RecordFamilies.Blocks));
        Assert.Equal(new byte[] { 1, 2, 3 }, blocks.Key);
        Assert.Equal(RecordFamilies.All.Count, RecordFamilies.All.Select(f => f.Prefix).Distinct().Count());
    }

    [Fact]
    public void Last_FindsHighestNumber_EvenWithAFollowingFamily()
    {
        Assert.Null(_store.Last(RecordFamilies.MainChain));
        _store.Put(RecordFamilies.MainChain, 3, [3]);
        _store.Put(RecordFamilies.MainChain, 300, [44]);
        _store.Put(RecordFamilies.Ledger, [0], [0]);
        var last = _store.Last(RecordFamilies.MainChain);
        Assert.Equal(300UL, last!.Value.Key);
        Assert.Equal([44], last.Value.Value);

        _store.Put(RecordFamilies.Undo, 12, [12]);
        Assert.Equal(12UL, _store.Last(RecordFamilies.Undo)!.Value.Key);
    }

    [Fact]
    public void Batch_CommitsAllFamiliesAtOnce()
    {
        _store.Put(RecordFamilies.Shares, [5], [5]);
        using var snapshot = _db.CreateSnapshot();
        using var batch = _store.CreateBatch();
        batch.Put(RecordFamilies.Blocks, [0xAB], [1]).Put(RecordFamilies.MainChain, 1, [0xAB]).Delete(RecordFamilies.Shares, [5]).Put(RecordFamilies.Undo, 1, [2]);
        Assert.Equal(4, batch.Count);
        _store.Commit(batch);

        Assert.Equal([0xAB], _store.Get(RecordFamilies.MainChain, 1));
        Assert.Null(_store.Get(RecordFamilies.Shares, [5]));
        Assert.Equal([5], _store.Get(RecordFamilies.Shares, [5], snapshot));
        Assert.Null(_store.Get(RecordFamilies.Blocks, [0xAB], snapshot));
    }

    public void Dispose()
    {
        _db.Dispose();
        _temp.Dispose();
    }
}
