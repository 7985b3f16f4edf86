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
}
