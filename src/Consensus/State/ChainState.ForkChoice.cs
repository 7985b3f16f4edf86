using P2P.Consensus.Blocks;
using P2P.Consensus.Encoding;
using P2P.Consensus.Ledger;
using P2P.Consensus.Metrics;
using P2P.Consensus.Reasons;
using P2P.Consensus.Rules;
using P2P.Storage;

namespace P2P.Consensus.State;

// Fork choice: activating the heaviest valid chain, connecting and disconnecting blocks.
public sealed partial class ChainState
{
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
        ConsensusMetrics.BlockConnected(block);
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
        return new BlockContext(Math, header, height => (_main[(int)height].Hash, _main[(int)height].Header), EpochSeedForChild(_main[^1]))
        {
            VerifiedShares = _verifiedShares,
        };
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
}
