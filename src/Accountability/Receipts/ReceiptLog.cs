using System.Collections.Concurrent;

namespace P2P.Accountability.Receipts;

/// <summary>The receipts this gateway collected for its tasks, newest last, bounded (for <c>p2pd receipts</c>).</summary>
public sealed class ReceiptLog(int capacity = 1000)
{
    private readonly ConcurrentQueue<CollectedReceipt> _entries = new();

    public void Add(CollectedReceipt entry)
    {
        _entries.Enqueue(entry);
        while (_entries.Count > capacity) _entries.TryDequeue(out _);
    }

    public IReadOnlyList<CollectedReceipt> Recent(int count) => [.. _entries.Reverse().Take(count)];

    public CollectedReceipt? Find(string receiptIdHex) => _entries.FirstOrDefault(e => e.ReceiptId == receiptIdHex);
}
