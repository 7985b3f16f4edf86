using System.Numerics;
using System.Security.Cryptography;
using P2P.Consensus.Blocks;
using P2P.Consensus.Encoding;
using P2P.Consensus.Ledger;
using P2P.Consensus.Reasons;
using P2P.Consensus.Rules;
using P2P.Storage;

namespace P2P.Consensus.State;

// Read-only queries of the chain and the ledger, and the state digest.
public sealed partial class ChainState
{
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

    /// <summary>The ledger's totals, the schedule and Σ balances under one lock, so a block applied meanwhile cannot split them.</summary>
    public LedgerAudit AuditLedger()
    {
        lock (_gate)
        {
            var head = _main[^1];
            var totals = ReadLedger(l => l.GetTotals());
            var accounts = Accounts();
            var balances = accounts.Aggregate(BigInteger.Zero, (sum, a) => sum + a.Account.Balance);
            return new LedgerAudit(head.Height, head.Hash, totals.EpochsClosed, Math.ScheduledThrough(totals.EpochsClosed), totals.Issued, totals.Forfeited, balances, accounts.Count);
        }
    }

    private T ReadLedger<T>(Func<LedgerView, T> read)
    {
        lock (_gate) return read(new LedgerView(new DatabaseStateReader(_database)));
    }

    /// <summary>The head and the state digest after it, read together: a block applied between two separate reads would pair a head with the next block's digest.</summary>
    public (ChainHead Head, byte[] Digest) HeadAndDigest()
    {
        lock (_gate) return (Head, StateDigest());
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
}
