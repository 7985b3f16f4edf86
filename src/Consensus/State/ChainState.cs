using P2P.Consensus.Blocks;
using P2P.Consensus.Encoding;
using P2P.Consensus.Genesis;
using P2P.Consensus.Ledger;
using P2P.Consensus.Metrics;
using P2P.Consensus.Reasons;
using P2P.Consensus.Rules;
using P2P.Storage;

namespace P2P.Consensus.State;

/// <summary>
/// The chain as a state machine over LevelDB (docs/consensus.md §8–§9): the block tree, the main chain, the ledger,
/// fork choice by most cumulative work, and reorganisations through per-block undo records. Each block is stored in
/// one batch and connected (or disconnected) in one more, so a crash at any point leaves a consistent state.
/// Calls are serialised internally.
/// </summary>
public sealed partial class ChainState
{
    private static readonly byte[] ChainIdKey = RecordKey.For(ChainFamilies.Meta, "chain-id"u8);
    private static readonly byte[] TipKey = RecordKey.For(ChainFamilies.Meta, "tip"u8);
    private static readonly byte[] SchemaKey = RecordKey.For(ChainFamilies.Meta, "consensus-schema"u8);
    private const byte SchemaVersion = 2;

    private readonly object _gate = new();
    private readonly LevelDatabase _database;
    private readonly RecordStore _store;
    private readonly ChainOptions _options;
    private readonly Dictionary<string, BlockIndexEntry> _index = new();
    private readonly Dictionary<string, List<BlockIndexEntry>> _children = new();
    private readonly List<BlockIndexEntry> _main = new();
    private readonly Dictionary<string, RejectReason> _invalid = new();
    private readonly Queue<string> _invalidOrder = new();
    private readonly OrphanPool _orphans;
    private readonly VerifiedShareCache _verifiedShares;
    private int _reorgDepth;

    public GenesisConfig Genesis { get; }
    public ChainMath Math { get; }
    public byte[] ChainId => Math.ChainId;
    public byte[] GenesisHash => _main[0].Hash;

    private ChainState(LevelDatabase database, GenesisConfig genesis, ChainOptions options)
    {
        _database = database;
        _store = new RecordStore(database);
        _options = options;
        Genesis = genesis;
        Math = new ChainMath(genesis);
        _orphans = new OrphanPool(options.OrphanLimit, options.OrphanByteLimit);
        _verifiedShares = new VerifiedShareCache(options.VerifiedShareCapacity);
    }

    /// <summary>Opens (or initialises) the chain of <paramref name="genesis"/> in <paramref name="database"/>.</summary>
    public static ChainState Open(LevelDatabase database, GenesisConfig genesis, ChainOptions? options = null)
    {
        var chain = new ChainState(database, genesis, options ?? new ChainOptions());
        chain.Load();
        return chain;
    }

    public ChainHead Head
    {
        get
        {
            lock (_gate)
            {
                var tip = _main[^1];
                return new ChainHead(tip.Hash, tip.Height, tip.CumulativeWork, tip.Header.Timestamp, tip.Header.Bits, tip.Header.Epoch);
            }
        }
    }

    public int OrphanCount { get { lock (_gate) return _orphans.Count; } }


    /// <summary>Decodes untrusted bytes (size cap, strict and canonical) and submits the block.</summary>
    public SubmitResult SubmitBytes(ReadOnlySpan<byte> bytes, DateTimeOffset now)
    {
        if (!BlockCodec.TryDecode(bytes, Genesis.MaxBlockBytes, out var block, out var reason))
        {
            byte[] hash = bytes.Length >= BlockHeader.EncodedLength ? Hashing.Sha256(bytes[..BlockHeader.EncodedLength]) : [];
            ConsensusMetrics.BlockRejected(reason);
            return new SubmitResult(SubmitStatus.Invalid, reason, hash, false, 0);
        }
        return Submit(block!, now);
    }

    /// <summary>Validates and stores a block, then moves the head to the valid chain with most work (reorganising if needed); orphans it completes are processed too.</summary>
    public SubmitResult Submit(Block block, DateTimeOffset now)
    {
        lock (_gate)
        {
            var before = _main[^1];
            _reorgDepth = 0;
            long nowSeconds = now.ToUnixTimeSeconds();
            byte[] hash;
            try
            {
                // Blocks built in-process skip the decoder: a field of the wrong length must not throw out of here.
                hash = block.Hash();
                _ = block.ComputeBodyRoot();
            }
            catch (ArgumentException)
            {
                return new SubmitResult(SubmitStatus.Invalid, RejectReason.Malformed, [], false, 0);
            }
            var (status, reason, entry) = Accept(block, hash, nowSeconds);
            if (entry is not null)
            {
                var stored = new List<BlockIndexEntry> { entry };
                var pending = new Queue<byte[]>([hash]);
                while (pending.Count > 0)
                {
                    foreach (var orphan in _orphans.TakeChildren(pending.Dequeue()))
                    {
                        var orphanHash = orphan.Hash();
                        var (_, _, orphanEntry) = Accept(orphan, orphanHash, nowSeconds);
                        if (orphanEntry is null) continue;
                        stored.Add(orphanEntry);
                        pending.Enqueue(orphanHash);
                    }
                }
                var best = stored.MaxBy(e => e.CumulativeWork)!;
                if (best.CumulativeWork > _main[^1].CumulativeWork) ActivateBestChain(best);
                if (entry.Status == BlockStatus.Invalid)
                {
                    status = SubmitStatus.Invalid;
                    reason = entry.InvalidReason;
                }
            }
            if (status == SubmitStatus.Invalid) ConsensusMetrics.BlockRejected(reason);
            if (_reorgDepth > 0) ConsensusMetrics.Reorganised(_reorgDepth);
            return new SubmitResult(status, reason, hash, !ReferenceEquals(before, _main[^1]), _reorgDepth);
        }
    }

    /// <summary>Checks a block up to (not including) its body's effect on the ledger, and stores it.</summary>
    private (SubmitStatus, RejectReason, BlockIndexEntry?) Accept(Block block, byte[] hash, long now)
    {
        string key = Convert.ToHexString(hash);
        if (_index.TryGetValue(key, out var known))
            return known.Status == BlockStatus.Invalid ? (SubmitStatus.Invalid, known.InvalidReason, null) : (SubmitStatus.AlreadyKnown, RejectReason.None, null);
        if (_invalid.TryGetValue(key, out var remembered)) return (SubmitStatus.Invalid, remembered, null);
        if (_orphans.Contains(hash)) return (SubmitStatus.Orphan, RejectReason.ParentUnknown, null);

        var reason = BodyRules.Check(Math, block);
        if (reason != RejectReason.None) return Reject(key, reason);
        string parentKey = Convert.ToHexString(block.Header.ParentHash);
        if (_invalid.ContainsKey(parentKey)) return Reject(key, RejectReason.InvalidAncestor);
        if (!_index.TryGetValue(parentKey, out var parent))
        {
            _orphans.Add(block, hash);
            return (SubmitStatus.Orphan, RejectReason.ParentUnknown, null);
        }
        if (parent.Status == BlockStatus.Invalid) return Reject(key, RejectReason.InvalidAncestor);
        if (block.Header.Height != parent.Height + 1) return Reject(key, RejectReason.HeightMismatch);
        reason = HeaderRules.Check(Math, block.Header, parent.Header, RecentTimestamps(parent), now, EpochSeedForChild(parent));
        if (reason != RejectReason.None) return Reject(key, reason);

        var entry = new BlockIndexEntry
        {
            Hash = hash,
            Header = block.Header,
            Parent = parent,
            CumulativeWork = parent.CumulativeWork + ChainMath.BlockWork(block.Header.Bits),
            Status = BlockStatus.HeaderValid,
        };
        using (var batch = _store.CreateBatch())
        {
            batch.Put(ChainFamilies.Blocks, hash, block.Encode());
            batch.Put(ChainFamilies.BlockIndex, hash, entry.Encode());
            _store.Commit(batch, _options.SyncWrites);
        }
        AddToIndex(entry);
        return (SubmitStatus.Accepted, RejectReason.None, entry);
    }

    private (SubmitStatus, RejectReason, BlockIndexEntry?) Reject(string key, RejectReason reason)
    {
        if (RejectReasons.IsPermanent(reason) && _options.InvalidMemory > 0 && !_invalid.ContainsKey(key))
        {
            if (_invalidOrder.Count >= _options.InvalidMemory) _invalid.Remove(_invalidOrder.Dequeue());
            _invalid[key] = reason;
            _invalidOrder.Enqueue(key);
        }
        return (SubmitStatus.Invalid, reason, null);
    }

    private void AddToIndex(BlockIndexEntry entry)
    {
        _index[Convert.ToHexString(entry.Hash)] = entry;
        if (entry.Parent is null) return;
        string parentKey = Convert.ToHexString(entry.Parent.Hash);
        if (!_children.TryGetValue(parentKey, out var list)) _children[parentKey] = list = [];
        list.Add(entry);
    }
}
