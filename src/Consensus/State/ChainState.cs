using System.Numerics;
using System.Security.Cryptography;
using P2P.Consensus.Blocks;
using P2P.Consensus.Encoding;
using P2P.Consensus.Genesis;
using P2P.Consensus.Ledger;
using P2P.Consensus.Rules;
using P2P.Storage;

namespace P2P.Consensus.State;

/// <summary>
/// The chain as a state machine over LevelDB (docs/consensus.md §8–§9): the block tree, the main chain, the ledger,
/// fork choice by most cumulative work, and reorganisations through per-block undo records. Each block is stored in
/// one batch and connected (or disconnected) in one more, so a crash at any point leaves a consistent state.
/// Calls are serialised internally.
/// </summary>
public sealed class ChainState
{
    private static readonly byte[] ChainIdKey = RecordKey.For(ChainFamilies.Meta, "chain-id"u8);
    private static readonly byte[] TipKey = RecordKey.For(ChainFamilies.Meta, "tip"u8);
    private static readonly byte[] SchemaKey = RecordKey.For(ChainFamilies.Meta, "consensus-schema"u8);
    private const byte SchemaVersion = 1;

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

    // ---- Submitting blocks -------------------------------------------------------------------------------

    /// <summary>Decodes untrusted bytes (size cap, strict and canonical) and submits the block.</summary>
    public SubmitResult SubmitBytes(ReadOnlySpan<byte> bytes, DateTimeOffset now)
    {
        if (!BlockCodec.TryDecode(bytes, Genesis.MaxBlockBytes, out var block, out var reason))
        {
            byte[] hash = bytes.Length >= BlockHeader.EncodedLength ? Hashing.Sha256(bytes[..BlockHeader.EncodedLength]) : [];
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
        if (!_index.TryGetValue(Convert.ToHexString(block.Header.ParentHash), out var parent))
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
        if (RejectReasons.IsPermanent(reason) && !_invalid.ContainsKey(key))
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

    // ---- Fork choice ----------------------------------------------------------------------------------------

    /// <summary>Moves the main chain to <paramref name="candidate"/>, or, when a block on the way is invalid, to the best chain that remains.</summary>
    private void ActivateBestChain(BlockIndexEntry candidate)
    {
        while (candidate.CumulativeWork > _main[^1].CumulativeWork)
        {
            var fork = candidate;
            while (!IsOnMain(fork)) fork = fork.Parent!;
            while (_main[^1] != fork)
            {
                Disconnect();
                _reorgDepth++;
            }
            var path = new List<BlockIndexEntry>();
            for (var e = candidate; e != fork; e = e.Parent!) path.Add(e);
            path.Reverse();
            bool failed = false;
            foreach (var entry in path)
            {
                var reason = Connect(entry);
                if (reason == RejectReason.None) continue;
                MarkInvalid(entry, reason);
                failed = true;
                break;
            }
            if (!failed) return;
            candidate = _index.Values.Where(e => e.Status != BlockStatus.Invalid).MaxBy(e => e.CumulativeWork)!;
        }
    }

    private bool IsOnMain(BlockIndexEntry entry) => entry.Height < (ulong)_main.Count && _main[(int)entry.Height] == entry;

    private void MarkInvalid(BlockIndexEntry entry, RejectReason reason)
    {
        using var batch = _store.CreateBatch();
        var pending = new Stack<(BlockIndexEntry, RejectReason)>([(entry, reason)]);
        while (pending.Count > 0)
        {
            var (e, r) = pending.Pop();
            e.Status = BlockStatus.Invalid;
            e.InvalidReason = r;
            batch.Put(ChainFamilies.BlockIndex, e.Hash, e.Encode());
            if (_children.TryGetValue(Convert.ToHexString(e.Hash), out var children))
                foreach (var child in children) pending.Push((child, RejectReason.InvalidAncestor));
        }
        _store.Commit(batch, _options.SyncWrites);
    }

    /// <summary>Applies the body of the block extending the tip; on success commits its state changes, undo record and the new tip in one batch.</summary>
    private RejectReason Connect(BlockIndexEntry entry)
    {
        var block = LoadBlock(entry.Hash) ?? throw new ChainCorruptException($"block {entry} is indexed but not stored");
        var overlay = new StateOverlay(new DatabaseStateReader(_database));
        var reason = BlockApplier.Apply(new LedgerView(overlay), block, ContextFor(block.Header));
        if (reason != RejectReason.None) return reason;

        var undo = new List<(byte[], byte[]?)>(overlay.Writes.Count);
        using var batch = new LevelDbWriteBatch();
        foreach (var (key, value) in overlay.Writes.OrderBy(w => w.Key, ByteArrayComparer.Instance))
        {
            undo.Add((key, _database.Get(key)));
            if (value is null) batch.Delete(key); else batch.Put(key, value);
        }
        entry.Status = BlockStatus.Valid;
        batch.Put(RecordKey.For(ChainFamilies.Undo, entry.Hash), new UndoRecord(undo).Encode());
        batch.Put(RecordKey.For(ChainFamilies.MainChain, entry.Height), entry.Hash);
        batch.Put(RecordKey.For(ChainFamilies.BlockIndex, entry.Hash), entry.Encode());
        batch.Put(TipKey, entry.Hash);
        _database.Write(batch, _options.SyncWrites);
        _main.Add(entry);
        return RejectReason.None;
    }

    /// <summary>Writes the tip's undo record back, in one batch with the new tip.</summary>
    private void Disconnect()
    {
        var tip = _main[^1];
        if (tip.Parent is null) throw new InvalidOperationException("the genesis block cannot be disconnected");
        var undoBytes = _store.Get(ChainFamilies.Undo, tip.Hash) ?? throw new ChainCorruptException($"no undo record for {tip}");
        using var batch = new LevelDbWriteBatch();
        foreach (var (key, previous) in UndoRecord.Decode(undoBytes).Entries)
        {
            if (previous is null) batch.Delete(key); else batch.Put(key, previous);
        }
        batch.Delete(RecordKey.For(ChainFamilies.Undo, tip.Hash));
        batch.Delete(RecordKey.For(ChainFamilies.MainChain, tip.Height));
        batch.Put(TipKey, tip.Parent.Hash);
        _database.Write(batch, _options.SyncWrites);
        _main.RemoveAt(_main.Count - 1);
    }

    /// <summary>The item-rule context of a block extending the current tip.</summary>
    private BlockContext ContextFor(BlockHeader header)
    {
        if (header.Height != (ulong)_main.Count) throw new InvalidOperationException("context for a block that does not extend the tip");
        return new BlockContext(Math, header, height => (_main[(int)height].Hash, _main[(int)height].Header), EpochSeedForChild(_main[^1]));
    }

    private List<long> RecentTimestamps(BlockIndexEntry parent)
    {
        var timestamps = new List<long>(HeaderRules.MedianTimeSpan);
        for (var e = parent; e is not null && timestamps.Count < HeaderRules.MedianTimeSpan; e = e.Parent) timestamps.Add(e.Header.Timestamp);
        timestamps.Reverse();
        return timestamps;
    }

    private BlockIndexEntry Ancestor(BlockIndexEntry entry, ulong height)
    {
        if (height > entry.Height) throw new ArgumentOutOfRangeException(nameof(height));
        while (entry.Height > height)
        {
            if (IsOnMain(entry)) return _main[(int)height];
            entry = entry.Parent!;
        }
        return entry;
    }

    /// <summary>The seed of the epoch of the block that would extend <paramref name="parent"/>: the hash of the block at height e·E on its chain.</summary>
    private byte[] EpochSeedForChild(BlockIndexEntry parent) => Ancestor(parent, Math.SeedHeight(Math.EpochOf(parent.Height + 1))).Hash;

    // ---- Queries --------------------------------------------------------------------------------------------

    /// <summary>The work seed for a block extending the known block <paramref name="parentHash"/>.</summary>
    public byte[] EpochSeedForChildOf(byte[] parentHash)
    {
        lock (_gate)
        {
            var parent = _index.GetValueOrDefault(Convert.ToHexString(parentHash)) ?? throw new KeyNotFoundException("unknown parent");
            return EpochSeedForChild(parent);
        }
    }

    /// <summary>Median time past of the tip: the next block's timestamp must exceed it.</summary>
    public long MedianTimePast()
    {
        lock (_gate) return HeaderRules.MedianTimePast(RecentTimestamps(_main[^1]));
    }

    public bool Contains(byte[] hash)
    {
        lock (_gate) return _index.ContainsKey(Convert.ToHexString(hash));
    }

    /// <summary>The reason a block was found invalid, or null when it is not known to be invalid.</summary>
    public RejectReason? InvalidReason(byte[] hash)
    {
        lock (_gate)
        {
            string key = Convert.ToHexString(hash);
            if (_index.TryGetValue(key, out var entry)) return entry.Status == BlockStatus.Invalid ? entry.InvalidReason : null;
            return _invalid.TryGetValue(key, out var reason) ? reason : null;
        }
    }

    public BlockHeader? GetHeader(byte[] hash)
    {
        lock (_gate) return _index.GetValueOrDefault(Convert.ToHexString(hash))?.Header;
    }

    public Block? GetBlock(byte[] hash)
    {
        lock (_gate) return LoadBlock(hash);
    }

    private Block? LoadBlock(byte[] hash)
    {
        var bytes = _store.Get(ChainFamilies.Blocks, hash);
        if (bytes is null) return null;
        if (!BlockCodec.TryDecode(bytes, int.MaxValue, out var block, out var reason)) throw new ChainCorruptException($"stored block {Hashing.Short(hash)} does not decode: {reason}");
        return block;
    }

    /// <summary>The main chain's block hash at <paramref name="height"/>, or null above the tip.</summary>
    public byte[]? MainChainHash(ulong height)
    {
        lock (_gate) return height < (ulong)_main.Count ? _main[(int)height].Hash : null;
    }

    public Account GetAccount(byte[] key) => ReadLedger(l => l.GetAccount(key));

    public LedgerTotals Totals => ReadLedger(l => l.GetTotals());

    /// <summary>Issuance scheduled for the epochs closed so far; equals Totals.Issued + Totals.Forfeited.</summary>
    public BigInteger ScheduledIssuance => Math.ScheduledThrough(Totals.EpochsClosed);

    public EpochRecord? GetEpochRecord(ulong epoch) => ReadLedger(l => l.GetEpochRecord(epoch));

    /// <summary>Weights credited in an epoch so far (its final weights once it closed), by miner key.</summary>
    public IReadOnlyList<MinerWeight> GetEpochWeights(ulong epoch) => ReadLedger(l => l.GetWeights(epoch));

    public IReadOnlySet<byte[]> GetEpochForfeits(ulong epoch) => ReadLedger(l => l.GetForfeits(epoch));

    public ReceiptRecord? GetReceipt(byte[] receiptId) => ReadLedger(l => l.GetReceipt(receiptId));

    /// <summary>True when the share with this id (its header hash) is already credited in <paramref name="epoch"/> on the main chain (the index of a closed epoch is dropped).</summary>
    public bool IsShareCredited(ulong epoch, byte[] shareId) => ReadLedger(l => l.HasShare(epoch, shareId));

    /// <summary>Every non-empty account, by key.</summary>
    public IReadOnlyList<(byte[] Key, Account Account)> Accounts()
    {
        lock (_gate)
        {
            var ledger = new LedgerView(new DatabaseStateReader(_database));
            var prefix = LedgerView.AccountKey([]);
            return _database.ScanPrefix(prefix).Select(kv => kv.Key[prefix.Length..]).Select(k => (k, ledger.GetAccount(k))).ToList();
        }
    }

    private T ReadLedger<T>(Func<LedgerView, T> read)
    {
        lock (_gate) return read(new LedgerView(new DatabaseStateReader(_database)));
    }

    /// <summary>
    /// SHA-256("p2p/state/1" ‖ for every record of the state families in key order: u32 key length ‖ key ‖ u32 value length ‖ value),
    /// keys with their family prefix (docs/consensus.md §8.2). Two nodes with the same ledger have the same digest.
    /// </summary>
    public byte[] StateDigest()
    {
        lock (_gate)
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            sha.AppendData("p2p/state/1"u8);
            Span<byte> length = stackalloc byte[4];
            using var snapshot = _database.CreateSnapshot();
            foreach (var family in ChainFamilies.State)
            {
                foreach (var (key, value) in _database.ScanPrefix(RecordKey.For(family), snapshot, fillCache: false))
                {
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(length, (uint)key.Length);
                    sha.AppendData(length);
                    sha.AppendData(key);
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(length, (uint)value.Length);
                    sha.AppendData(length);
                    sha.AppendData(value);
                }
            }
            return sha.GetHashAndReset();
        }
    }

    // ---- Templates ------------------------------------------------------------------------------------------

    /// <summary>
    /// A block extending the tip with nonce 0: timestamp max(now, MTP + 1), nBits from ASERT, the epoch, and those
    /// candidate items (in body order) that are valid one after another against the current ledger, within the size cap.
    /// </summary>
    public Block BuildTemplate(byte[] miner, IEnumerable<BodyItem> candidates, DateTimeOffset now)
    {
        lock (_gate)
        {
            var tip = _main[^1];
            ulong height = tip.Height + 1;
            var header = new BlockHeader
            {
                ChainId = ChainId,
                Height = height,
                ParentHash = tip.Hash,
                Timestamp = System.Math.Max(now.ToUnixTimeSeconds(), HeaderRules.MedianTimePast(RecentTimestamps(tip)) + 1),
                Bits = Math.NextBits(height, tip.Header.Timestamp),
                Epoch = Math.EpochOf(height),
                BodyRoot = new byte[32],
                Miner = miner,
            };
            var context = ContextFor(header);
            var overlay = new StateOverlay(new DatabaseStateReader(_database));
            var items = new List<BodyItem>();
            int size = BlockHeader.EncodedLength + 4;
            foreach (var item in candidates.OrderBy(i => i.Type))
            {
                int itemSize = 5 + BodyItem.LengthOf(item.Type);
                if (size + itemSize > Genesis.MaxBlockBytes || items.Count >= Block.MaxItems) break;
                var trial = new StateOverlay(overlay);
                if (ItemRules.Apply(new LedgerView(trial), item, context) != RejectReason.None) continue;
                trial.MergeInto(overlay);
                items.Add(item);
                size += itemSize;
            }
            return new Block(header with { BodyRoot = MerkleTree.Root(items) }, items);
        }
    }

    // ---- Opening --------------------------------------------------------------------------------------------

    private void Load()
    {
        var storedChainId = _database.Get(ChainIdKey);
        if (storedChainId is null)
        {
            Initialise();
            return;
        }
        if (!storedChainId.AsSpan().SequenceEqual(ChainId))
            throw new ChainCorruptException($"the database holds chain {Hashing.Short(storedChainId)}, not {Hashing.Short(ChainId)}");
        if (_database.Get(SchemaKey) is not [SchemaVersion]) throw new ChainCorruptException("unknown consensus schema version");

        var records = new List<(byte[] Hash, BigInteger Work, BlockStatus Status, RejectReason Reason, BlockHeader Header)>();
        foreach (var (hash, value) in _store.Scan(ChainFamilies.BlockIndex))
        {
            try
            {
                var (work, status, reason, header) = BlockIndexEntry.Decode(value);
                records.Add((hash, work, status, reason, header));
            }
            catch (FormatException e)
            {
                throw new ChainCorruptException($"block index record {Hashing.Short(hash)}: {e.Message}");
            }
        }
        foreach (var r in records.OrderBy(r => r.Header.Height))
        {
            BlockIndexEntry? parent = null;
            if (r.Header.Height > 0 && !_index.TryGetValue(Convert.ToHexString(r.Header.ParentHash), out parent))
                throw new ChainCorruptException($"block {Hashing.Short(r.Hash)} at height {r.Header.Height} has no stored parent");
            AddToIndex(new BlockIndexEntry { Hash = r.Hash, Header = r.Header, Parent = parent, CumulativeWork = r.Work, Status = r.Status, InvalidReason = r.Reason });
        }
        var tipHash = _database.Get(TipKey) ?? throw new ChainCorruptException("no tip");
        var tip = _index.GetValueOrDefault(Convert.ToHexString(tipHash)) ?? throw new ChainCorruptException("the tip is not in the block index");
        for (var e = tip; e is not null; e = e.Parent) _main.Add(e);
        _main.Reverse();
        if (!_main[0].Hash.AsSpan().SequenceEqual(GenesisBlock.For(Genesis).Hash())) throw new ChainCorruptException("the main chain does not start at this genesis");
        if (_options.ParanoidChecks) CheckConsistency();
        // A crash between storing a block and connecting it (or in the middle of a reorganisation) leaves a heavier
        // branch unconnected: finish the job now.
        var best = _index.Values.Where(e => e.Status != BlockStatus.Invalid).MaxBy(e => e.CumulativeWork)!;
        if (best.CumulativeWork > _main[^1].CumulativeWork) ActivateBestChain(best);
    }

    private void Initialise()
    {
        var block = GenesisBlock.For(Genesis);
        var hash = block.Hash();
        var entry = new BlockIndexEntry { Hash = hash, Header = block.Header, CumulativeWork = ChainMath.BlockWork(block.Header.Bits), Status = BlockStatus.Valid };
        using var batch = new LevelDbWriteBatch();
        batch.Put(SchemaKey, [SchemaVersion]);
        batch.Put(ChainIdKey, ChainId);
        batch.Put(RecordKey.For(ChainFamilies.Blocks, hash), block.Encode());
        batch.Put(RecordKey.For(ChainFamilies.BlockIndex, hash), entry.Encode());
        batch.Put(RecordKey.For(ChainFamilies.MainChain, 0), hash);
        batch.Put(TipKey, hash);
        _database.Write(batch, sync: true);
        AddToIndex(entry);
        _main.Add(entry);
    }

    /// <summary>The structure a crash can never break: main-chain index, undo records, block bodies and issuance totals agree.</summary>
    private void CheckConsistency()
    {
        foreach (var (height, hash) in _store.ScanNumbers(ChainFamilies.MainChain, 0, ulong.MaxValue))
        {
            if (height >= (ulong)_main.Count || !hash.AsSpan().SequenceEqual(_main[(int)height].Hash))
                throw new ChainCorruptException($"main-chain index at height {height} disagrees with the tip's ancestry");
        }
        for (int h = 0; h < _main.Count; h++)
        {
            var entry = _main[h];
            if (entry.Status != BlockStatus.Valid) throw new ChainCorruptException($"main-chain block {entry} is not marked valid");
            if (_store.Get(ChainFamilies.MainChain, (ulong)h) is null) throw new ChainCorruptException($"main-chain index has no height {h}");
            if (h > 0 && _store.Get(ChainFamilies.Undo, entry.Hash) is null) throw new ChainCorruptException($"no undo record for {entry}");
            if (_store.Get(ChainFamilies.Blocks, entry.Hash) is null) throw new ChainCorruptException($"no body for {entry}");
        }
        var totals = new LedgerView(new DatabaseStateReader(_database)).GetTotals();
        ulong closed = _main[^1].Height / (ulong)Genesis.EpochLength;
        if (totals.EpochsClosed != closed) throw new ChainCorruptException($"{totals.EpochsClosed} epochs closed in the ledger, {closed} by the tip's height");
        if ((BigInteger)totals.Issued + totals.Forfeited != Math.ScheduledThrough(closed))
            throw new ChainCorruptException("issued + forfeited differs from the schedule");
        BigInteger balances = 0;
        foreach (var (_, account) in Accounts()) balances += account.Balance;
        if (balances != totals.Issued) throw new ChainCorruptException($"balances sum to {balances}, {totals.Issued} were issued");
    }
}
