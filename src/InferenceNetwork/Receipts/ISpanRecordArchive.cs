namespace P2P.InferenceNetwork.Receipts;

/// <summary>
/// The durable copy of an executor's <see cref="SpanRecordStore"/>: an executor that crashes and restarts must still show
/// validators the records behind the receipts it signed, or its honest work would be judged as if it had cheated.
/// </summary>
public interface ISpanRecordArchive
{
    /// <summary>Stores the record before its receipt leaves the executor.</summary>
    void Save(SpanRecord record);

    void Delete(ReadOnlySpan<byte> receiptId);

    /// <summary>Every stored record (undecodable ones are dropped and reported by the implementation).</summary>
    IEnumerable<SpanRecord> LoadAll();
}
