using System.Text.Json;
using Microsoft.Extensions.Logging;
using P2P.Accountability.Validation;
using P2P.InferenceNetwork.Receipts;
using P2P.Storage;

namespace P2P.Daemon.Accountability;

/// <summary>
/// Executor records in the node's database (family <c>executor-records</c>), as the JSON <c>/p2pd/validate/1</c> serves:
/// written before a receipt leaves the executor, so a SIGKILL or a crash loses none (the write is not synced: a power
/// loss may take the last few, as it would the last blocks).
/// </summary>
public sealed class LevelDbSpanRecordArchive(RecordStore store, ILogger log) : ISpanRecordArchive
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { MaxDepth = 8 };

    /// <summary>A stored record is at most what the validate protocol may carry.</summary>
    private const int MaxStoredBytes = ValidateProtocol.MaxResponseBytes;

    public void Save(SpanRecord record) =>
        store.Put(RecordFamilies.ExecutorRecords, record.ReceiptId, JsonSerializer.SerializeToUtf8Bytes(record, Json));

    public void Delete(ReadOnlySpan<byte> receiptId) => store.Database.Delete(RecordKey.For(RecordFamilies.ExecutorRecords, receiptId));

    public IEnumerable<SpanRecord> LoadAll()
    {
        foreach (var (id, value) in store.Scan(RecordFamilies.ExecutorRecords))
        {
            SpanRecord? record = null;
            string? problem = null;
            if (value.Length > MaxStoredBytes) problem = $"{value.Length} bytes exceed {MaxStoredBytes}";
            else
            {
                try
                {
                    record = JsonSerializer.Deserialize<SpanRecord>(value, Json);
                    if (record is null || !record.ReceiptId.AsSpan().SequenceEqual(id)) problem = "its receipt id does not match its key";
                }
                catch (JsonException e)
                {
                    problem = e.Message;
                }
            }
            if (problem is not null)
            {
                log.LogWarning("executor record {Id} dropped: {Problem}", Convert.ToHexStringLower(id), problem);
                Delete(id);
                continue;
            }
            yield return record!;
        }
    }
}
