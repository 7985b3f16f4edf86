using Microsoft.Extensions.Time.Testing;
using P2P.InferenceNetwork.Receipts;

namespace P2P.Accountability.Tests;

/// <summary>The executor's record store keeps within its count and byte bounds and forgets records past their deadline.</summary>
public sealed class SpanRecordStoreTests
{
    private static SpanRecord Record(byte id, int bytes, DateTimeOffset expires) => new()
    {
        ReceiptId = [.. Enumerable.Repeat(id, 32)],
        Receipt = [],
        ModelId = "m",
        Inputs = [new DataChunk(1, new byte[bytes])],
        Outputs = [],
        Expires = expires,
    };

    [Fact]
    public void Store_EvictsTheOldestBeyondCountOrBytes_AndExpires()
    {
        var time = new FakeTimeProvider();
        var store = new SpanRecordStore(3, 1000, time);
        var later = time.GetUtcNow().AddMinutes(5);
        for (byte i = 0; i < 4; i++) Assert.True(store.Add(Record(i, 100, later)));
        Assert.Equal(3, store.Count);
        Assert.Null(store.Find(Record(0, 0, later).ReceiptId));
        // 3 × 100 + 900 > 1000: the two oldest go, the newest 100 stays.
        Assert.True(store.Add(Record(9, 900, later)));
        Assert.Equal(2, store.Count);
        Assert.Equal(1000, store.Bytes);
        Assert.False(store.Add(Record(10, 1001, later)));
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.Null(store.Find(Record(9, 0, later).ReceiptId));
        Assert.Equal(0, store.Bytes);
    }

    [Fact]
    public void Store_WritesThroughToItsArchive_AndAStoreOverTheSameArchiveHasTheLiveRecordsBack()
    {
        var time = new FakeTimeProvider();
        var archive = new DictionaryArchive();
        var store = new SpanRecordStore(3, 1000, time, archive);
        var soon = time.GetUtcNow().AddMinutes(1);
        var later = time.GetUtcNow().AddMinutes(5);
        Assert.True(store.Add(Record(1, 100, soon)));
        for (byte i = 2; i < 5; i++) Assert.True(store.Add(Record(i, 100, later)));
        // Evicted by the count bound: gone from the archive as well.
        Assert.Equal(3, archive.Records.Count);
        Assert.False(archive.Records.ContainsKey(Convert.ToHexStringLower(Record(1, 0, soon).ReceiptId)));

        // The "restart": a new store over the same archive, after record 2 was made to expire early.
        archive.Records[Convert.ToHexStringLower(Record(2, 0, soon).ReceiptId)] = Record(2, 100, soon);
        time.Advance(TimeSpan.FromMinutes(2));
        var restarted = new SpanRecordStore(3, 1000, time, archive);
        Assert.Equal(2, restarted.Count);
        Assert.NotNull(restarted.Find(Record(3, 0, later).ReceiptId));
        Assert.Null(restarted.Find(Record(2, 0, later).ReceiptId));
        Assert.Equal(2, archive.Records.Count);
        Assert.Equal(0, archive.Saves - 4); // loading saved nothing again
    }

    /// <summary>An archive in a dictionary: the store's contract with its durable copy, without a database.</summary>
    private sealed class DictionaryArchive : ISpanRecordArchive
    {
        public Dictionary<string, SpanRecord> Records { get; } = [];

        public int Saves { get; private set; }

        public void Save(SpanRecord record)
        {
            Saves++;
            Records[Convert.ToHexStringLower(record.ReceiptId)] = record;
        }

        public void Delete(ReadOnlySpan<byte> receiptId) => Records.Remove(Convert.ToHexStringLower(receiptId));

        public IEnumerable<SpanRecord> LoadAll() => [.. Records.Values];
    }
}
