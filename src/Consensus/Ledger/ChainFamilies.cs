using P2P.Storage;

namespace P2P.Consensus.Ledger;

/// <summary>The record families the chain state uses: the storage layer's plus five of its own (prefixes are on-disk format).</summary>
public static class ChainFamilies
{
    public static readonly RecordFamily Meta = RecordFamilies.Meta;
    public static readonly RecordFamily Blocks = RecordFamilies.Blocks;
    public static readonly RecordFamily MainChain = RecordFamilies.MainChain;
    /// <summary>Accounts ('a' ‖ key) and the issuance totals ('t').</summary>
    public static readonly RecordFamily Ledger = RecordFamilies.Ledger;
    /// <summary>Big-endian epoch ‖ share id → height: each share is credited once; an epoch's entries are dropped when it closes.</summary>
    public static readonly RecordFamily Shares = RecordFamilies.Shares;
    /// <summary>Receipt id → executor, epoch, votes and state.</summary>
    public static readonly RecordFamily Receipts = RecordFamilies.Receipts;
    /// <summary>Undo record by block hash.</summary>
    public static readonly RecordFamily Undo = RecordFamilies.Undo;
    /// <summary>Block hash → height, cumulative work, status and header (the block tree, main chain or not).</summary>
    public static readonly RecordFamily BlockIndex = new(0x10, "block-index");
    /// <summary>Epoch accumulators: big-endian epoch ‖ 'w' (weights), 'f' (forfeits), 'r' (the closed epoch's reward record), 'v' (validation counts), 'm' (missed deadlines).</summary>
    public static readonly RecordFamily Epochs = new(0x11, "epochs");
    /// <summary>Receipt id ‖ validator → outcome: one verdict per validator and receipt, forever.</summary>
    public static readonly RecordFamily Verdicts = new(0x12, "verdicts");
    /// <summary>Model ‖ big-endian epoch ‖ node ‖ shard start ‖ shard end → height: the service declarations the lottery draws candidates from.</summary>
    public static readonly RecordFamily Declarations = new(0x13, "declarations");
    /// <summary>Big-endian height ‖ receipt id: a drawn receipt's pending verdict deadline, processed (and removed) when the block at that height is applied.</summary>
    public static readonly RecordFamily Deadlines = new(0x14, "deadlines");

    /// <summary>The ledger state: what a block changes, what undo records restore and what the state digest covers, in prefix order.</summary>
    public static IReadOnlyList<RecordFamily> State { get; } = [Ledger, Shares, Receipts, Epochs, Verdicts, Declarations, Deadlines];

    public static bool IsState(byte prefix) => State.Any(f => f.Prefix == prefix);
}
