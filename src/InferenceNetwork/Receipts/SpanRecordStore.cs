namespace P2P.InferenceNetwork.Receipts;

/// <summary>
/// The executor's records by receipt id, bounded by count and bytes (the oldest go first) and dropped once expired
/// (the verdict deadline has passed, so no validator can still ask); written through to an optional
/// <see cref="ISpanRecordArchive"/> and reloaded from it at start, so a restart loses none.
/// </summary>
public sealed class SpanRecordStore
{
    private readonly int _maxRecords;
    private readonly long _maxBytes;
    private readonly TimeProvider _time;
    private readonly ISpanRecordArchive? _archive;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SpanRecord> _records = [];
    private readonly Queue<string> _order = new();
    private long _bytes;

    public SpanRecordStore(int maxRecords, long maxBytes, TimeProvider? time = null, ISpanRecordArchive? archive = null)
    {
        _maxRecords = maxRecords;
        _maxBytes = maxBytes;
        _time = time ?? TimeProvider.System;
        _archive = archive;
        if (archive is null) return;
        // Oldest first, so that the bounds evict in the order the records were made.
        foreach (var record in archive.LoadAll().OrderBy(r => r.Expires).ToList())
        {
            if (record.Expires <= _time.GetUtcNow() || !Add(record, persist: false)) archive.Delete(record.ReceiptId);
        }
    }

    public int Count
    {
        get { lock (_lock) return _records.Count; }
    }

    public long Bytes
    {
        get { lock (_lock) return _bytes; }
    }

    /// <summary>Keeps the record (in the archive first, when there is one); false when it alone exceeds the byte bound.</summary>
    public bool Add(SpanRecord record) => Add(record, persist: true);

    private bool Add(SpanRecord record, bool persist)
    {
        long size = record.Bytes;
        if (size > _maxBytes) return false;
        var key = Convert.ToHexStringLower(record.ReceiptId);
        // Encoding and writing a record (megabytes for a span's hidden states) stay outside the lock that validators'
        // lookups take; a record is new when it is added, so nothing can evict it from the archive meanwhile.
        if (persist) _archive?.Save(record);
        lock (_lock)
        {
            RemoveExpired();
            if (_records.ContainsKey(key)) return true;
            while (_order.Count > 0 && (_records.Count >= _maxRecords || _bytes + size > _maxBytes)) Evict(_order.Dequeue());
            _records[key] = record;
            _order.Enqueue(key);
            _bytes += size;
            return true;
        }
    }

    public SpanRecord? Find(ReadOnlySpan<byte> receiptId)
    {
        var key = Convert.ToHexStringLower(receiptId);
        lock (_lock)
        {
            RemoveExpired();
            return _records.GetValueOrDefault(key);
        }
    }

    private void RemoveExpired()
    {
        var now = _time.GetUtcNow();
        while (_order.Count > 0 && (!_records.TryGetValue(_order.Peek(), out var oldest) || oldest.Expires <= now)) Evict(_order.Dequeue());
    }

    private void Evict(string key)
    {
        if (!_records.Remove(key, out var record)) return;
        _bytes -= record.Bytes;
        _archive?.Delete(record.ReceiptId);
    }
}
