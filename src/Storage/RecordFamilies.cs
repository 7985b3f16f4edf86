namespace P2P.Storage;

/// <summary>The record families of a node's database. Prefixes are part of the on-disk format: never renumber one.</summary>
public static class RecordFamilies
{
    /// <summary>Database-wide facts such as the schema version.</summary>
    public static readonly RecordFamily Meta = new(0x00, "meta");
    /// <summary>Blocks by hash.</summary>
    public static readonly RecordFamily Blocks = new(0x01, "blocks");
    /// <summary>Main-chain block hash by big-endian height.</summary>
    public static readonly RecordFamily MainChain = new(0x02, "main-chain");
    /// <summary>Ledger balances and epoch weights.</summary>
    public static readonly RecordFamily Ledger = new(0x03, "ledger");
    /// <summary>Share index.</summary>
    public static readonly RecordFamily Shares = new(0x04, "shares");
    /// <summary>Inference receipt index.</summary>
    public static readonly RecordFamily Receipts = new(0x05, "receipts");
    /// <summary>Undo data for reorganisations, by big-endian height.</summary>
    public static readonly RecordFamily Undo = new(0x06, "undo");
    /// <summary>An executor's records behind the receipts it signed, by receipt id, until their verdict deadline (not chain state).</summary>
    public static readonly RecordFamily ExecutorRecords = new(0x07, "executor-records");

    public static IReadOnlyList<RecordFamily> All { get; } = [Meta, Blocks, MainChain, Ledger, Shares, Receipts, Undo, ExecutorRecords];
}
