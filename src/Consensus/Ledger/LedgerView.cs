using System.Numerics;
using P2P.Consensus.Encoding;
using P2P.Storage;

namespace P2P.Consensus.Ledger;

/// <summary>Typed records of the ledger state over a <see cref="StateOverlay"/> (or, read-only, any reader); the key layout is in docs/consensus.md §8.</summary>
public sealed class LedgerView(IStateReader reader)
{
    private const int MaxVotes = 256;
    private const int MaxListEntries = 1 << 20;

    public IStateReader Reader { get; } = reader;

    private StateOverlay Writable => Reader as StateOverlay ?? throw new InvalidOperationException("read-only ledger view");

    public static byte[] AccountKey(ReadOnlySpan<byte> key) => RecordKey.For(ChainFamilies.Ledger, [(byte)'a', .. key]);
    public static readonly byte[] TotalsKey = RecordKey.For(ChainFamilies.Ledger, [(byte)'t']);
    public static byte[] ShareKey(ulong epoch, ReadOnlySpan<byte> shareId) => RecordKey.For(ChainFamilies.Shares, epoch, shareId);
    public static byte[] ReceiptKey(ReadOnlySpan<byte> receiptId) => RecordKey.For(ChainFamilies.Receipts, receiptId);
    public static byte[] VerdictKey(ReadOnlySpan<byte> receiptId, ReadOnlySpan<byte> validator) => RecordKey.For(ChainFamilies.Verdicts, [.. receiptId, .. validator]);
    public static byte[] EpochKey(ulong epoch, char part) => RecordKey.For(ChainFamilies.Epochs, epoch, [(byte)part]);

    public Account GetAccount(ReadOnlySpan<byte> key)
    {
        var value = Reader.Get(AccountKey(key));
        if (value is null) return Account.Empty;
        var r = new CanonicalReader(value);
        var account = new Account(r.U64(), r.U64());
        r.ExpectEnd();
        return account;
    }

    public void PutAccount(ReadOnlySpan<byte> key, Account account)
    {
        if (account.IsEmpty) Writable.Delete(AccountKey(key));
        else Writable.Put(AccountKey(key), new CanonicalWriter().U64(account.Balance).U64(account.Nonce).ToArray());
    }

    /// <summary>Adds to a balance; false on overflow (the block is then invalid).</summary>
    public bool Credit(ReadOnlySpan<byte> key, ulong amount)
    {
        if (amount == 0) return true;
        var account = GetAccount(key);
        if (ulong.MaxValue - account.Balance < amount) return false;
        PutAccount(key, account with { Balance = account.Balance + amount });
        return true;
    }

    public LedgerTotals GetTotals()
    {
        var value = Reader.Get(TotalsKey);
        if (value is null) return default;
        var r = new CanonicalReader(value);
        var totals = new LedgerTotals(r.U64(), r.U64(), r.U64());
        r.ExpectEnd();
        return totals;
    }

    public void PutTotals(LedgerTotals totals) =>
        Writable.Put(TotalsKey, new CanonicalWriter().U64(totals.Issued).U64(totals.Forfeited).U64(totals.EpochsClosed).ToArray());

    public bool HasShare(ulong epoch, ReadOnlySpan<byte> shareId) => Reader.Get(ShareKey(epoch, shareId)) is not null;

    public void PutShare(ulong epoch, ReadOnlySpan<byte> shareId, ulong height) => Writable.Put(ShareKey(epoch, shareId), new CanonicalWriter().U64(height).ToArray());

    /// <summary>Drops the share index of a closed epoch: its shares can no longer be included anywhere (§4.3), so the index stays one epoch long.</summary>
    public void DropShares(ulong epoch)
    {
        foreach (var key in Reader.KeysWithPrefix(RecordKey.For(ChainFamilies.Shares, epoch)).ToList()) Writable.Delete(key);
    }

    /// <summary>Weights of an epoch so far, sorted by miner key.</summary>
    public List<MinerWeight> GetWeights(ulong epoch)
    {
        var value = Reader.Get(EpochKey(epoch, 'w'));
        var list = new List<MinerWeight>();
        if (value is null) return list;
        var r = new CanonicalReader(value);
        uint count = r.U32();
        for (uint i = 0; i < count; i++)
            list.Add(new MinerWeight(r.Fixed(32), new BigInteger(r.Bytes(64), isUnsigned: true, isBigEndian: true)));
        r.ExpectEnd();
        return list;
    }

    public void AddWeight(ulong epoch, byte[] miner, BigInteger credit)
    {
        var list = GetWeights(epoch);
        int index = list.FindIndex(w => w.Miner.AsSpan().SequenceEqual(miner));
        if (index >= 0) list[index] = list[index] with { Weight = list[index].Weight + credit };
        else
        {
            list.Add(new MinerWeight(miner, credit));
            list.Sort((a, b) => ByteArrayComparer.Instance.Compare(a.Miner, b.Miner));
        }
        var w = new CanonicalWriter().U32((uint)list.Count);
        foreach (var entry in list) w.Fixed(entry.Miner, 32).Bytes(entry.Weight.ToByteArray(isUnsigned: true, isBigEndian: true));
        Writable.Put(EpochKey(epoch, 'w'), w.ToArray());
    }

    public SortedSet<byte[]> GetForfeits(ulong epoch) => GetKeySet(EpochKey(epoch, 'f'));

    public void AddForfeit(ulong epoch, byte[] key) => AddToKeySet(EpochKey(epoch, 'f'), key);

    public EpochRecord? GetEpochRecord(ulong epoch)
    {
        var value = Reader.Get(EpochKey(epoch, 'r'));
        if (value is null) return null;
        var r = new CanonicalReader(value);
        ulong e = r.U64(), scheduled = r.U64(), issued = r.U64(), forfeited = r.U64();
        var total = new BigInteger(r.Bytes(64), isUnsigned: true, isBigEndian: true);
        uint count = r.U32();
        var rewards = new List<EpochReward>();
        for (uint i = 0; i < count; i++)
            rewards.Add(new EpochReward(r.Fixed(32), new BigInteger(r.Bytes(64), isUnsigned: true, isBigEndian: true), r.U64(), r.U8() != 0));
        var validation = new ValidationCounts(r.U64(), r.U64(), r.U64(), r.U64(), r.U64());
        var forfeits = ReadKeys(ref r);
        var missed = ReadKeys(ref r);
        r.ExpectEnd();
        return new EpochRecord(e, scheduled, issued, forfeited, total, rewards) { Validation = validation, Forfeits = forfeits, MissedDeadlines = missed };
    }

    public void PutEpochRecord(EpochRecord record)
    {
        var w = new CanonicalWriter().U64(record.Epoch).U64(record.Scheduled).U64(record.Issued).U64(record.Forfeited)
            .Bytes(record.TotalWeight.ToByteArray(isUnsigned: true, isBigEndian: true)).U32((uint)record.Rewards.Count);
        foreach (var reward in record.Rewards)
            w.Fixed(reward.Miner, 32).Bytes(reward.Weight.ToByteArray(isUnsigned: true, isBigEndian: true)).U64(reward.Reward).U8(reward.Forfeited ? (byte)1 : (byte)0);
        var v = record.Validation;
        w.U64(v.Receipts).U64(v.Drawn).U64(v.Valid).U64(v.Invalid).U64(v.MissedDeadlines);
        WriteKeys(w, record.Forfeits);
        WriteKeys(w, record.MissedDeadlines);
        Writable.Put(EpochKey(record.Epoch, 'r'), w.ToArray());
    }

    private static List<byte[]> ReadKeys(ref CanonicalReader r)
    {
        uint count = r.U32();
        if (count > MaxListEntries) throw new FormatException("key list too long");
        var keys = new List<byte[]>((int)count);
        for (uint i = 0; i < count; i++) keys.Add(r.Fixed(32));
        return keys;
    }

    private static void WriteKeys(CanonicalWriter w, IReadOnlyList<byte[]> keys)
    {
        w.U32((uint)keys.Count);
        foreach (var key in keys) w.Fixed(key, 32);
    }

    public ReceiptRecord? GetReceipt(ReadOnlySpan<byte> receiptId)
    {
        var value = Reader.Get(ReceiptKey(receiptId));
        if (value is null) return null;
        var r = new CanonicalReader(value);
        var executor = r.Fixed(32);
        ulong epoch = r.U64(), height = r.U64();
        var blockHash = r.Fixed(32);
        bool deterministic = r.U8() != 0, drawn = r.U8() != 0;
        uint validatorCount = r.U32();
        if (validatorCount > MaxVotes) throw new FormatException("too many validators");
        var validators = new List<byte[]>((int)validatorCount);
        for (uint i = 0; i < validatorCount; i++) validators.Add(r.Fixed(32));
        ulong deadline = r.U64(), escalationDeadline = r.U64();
        uint count = r.U32();
        if (count > MaxVotes) throw new FormatException("too many votes");
        var votes = new List<ReceiptVote>((int)count);
        for (uint i = 0; i < count; i++) votes.Add(new ReceiptVote(r.Fixed(32), r.U8() != 0, (Blocks.VerdictReason)r.U8(), r.U64()));
        var state = (ReceiptState)r.U8();
        r.ExpectEnd();
        return new ReceiptRecord(executor, epoch, height, blockHash, deterministic, drawn, validators, deadline, escalationDeadline, votes, state);
    }

    public void PutReceipt(ReadOnlySpan<byte> receiptId, ReceiptRecord record)
    {
        var w = new CanonicalWriter().Fixed(record.Executor, 32).U64(record.Epoch).U64(record.Height).Fixed(record.BlockHash, 32)
            .U8(record.Deterministic ? (byte)1 : (byte)0).U8(record.Drawn ? (byte)1 : (byte)0).U32((uint)record.Validators.Count);
        foreach (var validator in record.Validators) w.Fixed(validator, 32);
        w.U64(record.Deadline).U64(record.EscalationDeadline).U32((uint)record.Votes.Count);
        foreach (var vote in record.Votes) w.Fixed(vote.Validator, 32).U8(vote.Valid ? (byte)1 : (byte)0).U8((byte)vote.Reason).U64(vote.Height);
        w.U8((byte)record.State);
        Writable.Put(ReceiptKey(receiptId), w.ToArray());
    }

    public ValidationCounts GetValidationCounts(ulong epoch)
    {
        var value = Reader.Get(EpochKey(epoch, 'v'));
        if (value is null) return default;
        var r = new CanonicalReader(value);
        var counts = new ValidationCounts(r.U64(), r.U64(), r.U64(), r.U64(), r.U64());
        r.ExpectEnd();
        return counts;
    }

    public void PutValidationCounts(ulong epoch, ValidationCounts counts) => Writable.Put(EpochKey(epoch, 'v'),
        new CanonicalWriter().U64(counts.Receipts).U64(counts.Drawn).U64(counts.Valid).U64(counts.Invalid).U64(counts.MissedDeadlines).ToArray());

    /// <summary>Validators noted for a missed verdict deadline in an epoch, sorted.</summary>
    public SortedSet<byte[]> GetMissedDeadlines(ulong epoch) => GetKeySet(EpochKey(epoch, 'm'));

    public void AddMissedDeadline(ulong epoch, byte[] validator) => AddToKeySet(EpochKey(epoch, 'm'), validator);

    public static byte[] DeclarationKey(ReadOnlySpan<byte> model, ulong epoch, ReadOnlySpan<byte> node, uint shardStart, uint shardEnd) =>
        RecordKey.For(ChainFamilies.Declarations, [.. model, .. new CanonicalWriter().U64(epoch).Fixed(node, 32).U32(shardStart).U32(shardEnd).ToArray()]);

    public bool HasDeclaration(ReadOnlySpan<byte> model, ulong epoch, ReadOnlySpan<byte> node, uint shardStart, uint shardEnd) =>
        Reader.Get(DeclarationKey(model, epoch, node, shardStart, shardEnd)) is not null;

    public void PutDeclaration(ReadOnlySpan<byte> model, ulong epoch, ReadOnlySpan<byte> node, uint shardStart, uint shardEnd, ulong height) =>
        Writable.Put(DeclarationKey(model, epoch, node, shardStart, shardEnd), new CanonicalWriter().U64(height).ToArray());

    /// <summary>The (node, shard start, shard end) of every declaration of <paramref name="model"/> in <paramref name="epoch"/>, in key order.</summary>
    public List<(byte[] Node, uint ShardStart, uint ShardEnd)> GetDeclarations(ReadOnlySpan<byte> model, ulong epoch)
    {
        var prefix = RecordKey.For(ChainFamilies.Declarations, [.. model, .. new CanonicalWriter().U64(epoch).ToArray()]);
        var list = new List<(byte[], uint, uint)>();
        foreach (var key in Reader.KeysWithPrefix(prefix).OrderBy(k => k, ByteArrayComparer.Instance))
        {
            var r = new CanonicalReader(key.AsSpan(prefix.Length));
            list.Add((r.Fixed(32), r.U32(), r.U32()));
            r.ExpectEnd();
        }
        return list;
    }

    public static byte[] DeadlineKey(ulong height, ReadOnlySpan<byte> receiptId) => RecordKey.For(ChainFamilies.Deadlines, height, receiptId);

    public void AddDeadline(ulong height, ReadOnlySpan<byte> receiptId) => Writable.Put(DeadlineKey(height, receiptId), [0]);

    /// <summary>Removes and returns the receipt ids whose deadline is <paramref name="height"/>, in id order.</summary>
    public List<byte[]> TakeDeadlines(ulong height)
    {
        var prefix = RecordKey.For(ChainFamilies.Deadlines, height);
        var keys = Reader.KeysWithPrefix(prefix).OrderBy(k => k, ByteArrayComparer.Instance).ToList();
        foreach (var key in keys) Writable.Delete(key);
        return keys.Select(k => k[prefix.Length..]).ToList();
    }

    private SortedSet<byte[]> GetKeySet(byte[] recordKey)
    {
        var set = new SortedSet<byte[]>(ByteArrayComparer.Instance);
        var value = Reader.Get(recordKey);
        if (value is null) return set;
        var r = new CanonicalReader(value);
        uint count = r.U32();
        if (count > MaxListEntries) throw new FormatException("key list too long");
        for (uint i = 0; i < count; i++) set.Add(r.Fixed(32));
        r.ExpectEnd();
        return set;
    }

    private void AddToKeySet(byte[] recordKey, byte[] key)
    {
        var set = GetKeySet(recordKey);
        if (!set.Add(key)) return;
        var w = new CanonicalWriter().U32((uint)set.Count);
        foreach (var entry in set) w.Fixed(entry, 32);
        Writable.Put(recordKey, w.ToArray());
    }

    public bool HasVerdict(ReadOnlySpan<byte> receiptId, ReadOnlySpan<byte> validator) => Reader.Get(VerdictKey(receiptId, validator)) is not null;

    public void PutVerdict(ReadOnlySpan<byte> receiptId, ReadOnlySpan<byte> validator, bool valid, ulong height) =>
        Writable.Put(VerdictKey(receiptId, validator), new CanonicalWriter().U8(valid ? (byte)1 : (byte)0).U64(height).ToArray());
}
