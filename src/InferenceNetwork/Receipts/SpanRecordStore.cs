namespace P2P.InferenceNetwork.Receipts;

/// <summary>
/// The executor's records by receipt id, bounded by count and bytes (the oldest go first) and dropped once expired
/// (the verdict deadline has passed, so no validator can still ask).
/// </summary>
public sealed class SpanRecordStore(int maxRecords, long maxBytes, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SpanRecord> _records = [];
    private readonly Queue<string> _order = new();
    private long _bytes;

    public int Count
    {
        get { lock (_lock) return _records.Count; }
    }

    public long Bytes
    {
        get { lock (_lock) return _bytes; }
    }

    /// <summary>Keeps the record; false when it alone exceeds the byte bound.</summary>
    public bool Add(SpanRecord record)
    {
        long size = record.Bytes;
        if (size > maxBytes) return false;
        var key = Convert.ToHexStringLower(record.ReceiptId);
        lock (_lock)
        {
            RemoveExpired();
            if (_records.ContainsKey(key)) return true;
            while (_order.Count > 0 && (_records.Count >= maxRecords || _bytes + size > maxBytes)) Evict(_order.Dequeue());
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
        if (_records.Remove(key, out var record)) _bytes -= record.Bytes;
    }
}
