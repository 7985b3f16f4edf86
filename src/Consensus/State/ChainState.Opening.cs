using System.Numerics;
using P2P.Consensus.Blocks;
using P2P.Consensus.Encoding;
using P2P.Consensus.Genesis;
using P2P.Consensus.Ledger;
using P2P.Consensus.Reasons;
using P2P.Consensus.Rules;
using P2P.Storage;

namespace P2P.Consensus.State;

// Opening: initialising a database, loading the block tree, paranoid checks.
public sealed partial class ChainState
{
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
