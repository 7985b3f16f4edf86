using P2P.Consensus.Blocks;
using P2P.Consensus.Genesis;
using P2P.Consensus.Ledger;
using P2P.Consensus.State;
using P2P.Consensus.Tests.Support;
using P2P.Storage;

namespace P2P.Consensus.Tests.State;

/// <summary>Reopening, paranoid checks, and refusing a database of another chain.</summary>
public sealed class PersistenceTests
{
    private static readonly P2P.Networking.Identity.Ed25519PrivateKey Alice = TestChain.Key(1), Bob = TestChain.Key(2);

    [Fact]
    public void ReopenedChain_HasTheSameHeadAndDigest_AndContinues()
    {
        using var t = new TestChain();
        for (int i = 0; i < 6; i++) t.Submit(t.MineNext(Alice, [t.MineShare(Bob)]));
        var head = t.Chain.Head;
        var digest = t.Chain.StateDigest();
        t.Reopen();
        Assert.Equal(head.Hash, t.Chain.Head.Hash);
        Assert.Equal((head.Height, head.CumulativeWork), (t.Chain.Head.Height, t.Chain.Head.CumulativeWork));
        Assert.Equal(digest, t.Chain.StateDigest());
        Assert.True(t.Submit(t.MineNext(Alice)).HeadChanged);
    }

    [Fact]
    public void ChainState_RefusesTheDatabaseOfAnotherChain()
    {
        using var t = new TestChain();
        t.Extend(1, Alice);
        Assert.Throws<ChainCorruptException>(() => ChainState.Open(t.Database, TestChain.EasyGenesis("other")));
    }

    [Fact]
    public void ParanoidChecks_CatchADamagedLedger()
    {
        using var t = new TestChain();
        t.Extend(4, Alice);
        // A balance changed behind the chain's back: the sum of balances no longer equals the issued total.
        var store = new RecordStore(t.Database);
        var key = P2P.Consensus.Ledger.LedgerView.AccountKey(TestChain.Pub(Alice));
        t.Database.Put(key, new byte[16]);
        Assert.Throws<ChainCorruptException>(() => ChainState.Open(t.Database, t.Genesis));
        Assert.NotNull(store.Get(ChainFamilies.MainChain, 4));
    }

    [Fact]
    public void ParanoidChecks_CatchAMissingUndoRecord()
    {
        using var t = new TestChain();
        var blocks = t.Extend(2, Alice);
        t.Database.Delete(RecordKey.For(ChainFamilies.Undo, blocks[0].Hash()));
        Assert.Throws<ChainCorruptException>(() => ChainState.Open(t.Database, t.Genesis));
    }

    /// <summary>A block stored but not connected (a crash between the two batches) is connected on the next open.</summary>
    [Fact]
    public void StoredUnconnectedHeavierBlock_IsConnectedOnOpen()
    {
        using var t = new TestChain();
        var blocks = t.Extend(3, Alice);
        var digest = t.Chain.StateDigest();
        // Undo the last connect by hand, as if the process died right after storing block 3.
        using (var other = new TestChain())
        {
            foreach (var b in blocks[..2]) other.Submit(b);
            var undo = UndoRecord.Decode(t.Database.Get(RecordKey.For(ChainFamilies.Undo, blocks[2].Hash()))!);
            using var batch = new LevelDbWriteBatch();
            foreach (var (k, previous) in undo.Entries) { if (previous is null) batch.Delete(k); else batch.Put(k, previous); }
            batch.Delete(RecordKey.For(ChainFamilies.Undo, blocks[2].Hash()));
            batch.Delete(RecordKey.For(ChainFamilies.MainChain, 3));
            batch.Put(RecordKey.For(ChainFamilies.Meta, "tip"u8), blocks[1].Hash());
            t.Database.Write(batch);
            Assert.Equal(other.Chain.StateDigest(), ChainStateDigestWithoutConnecting(t));
        }
        t.Reopen();
        Assert.Equal(blocks[2].Hash(), t.Chain.Head.Hash);
        Assert.Equal(digest, t.Chain.StateDigest());
    }

    private static byte[] ChainStateDigestWithoutConnecting(TestChain t)
    {
        // Hash the state families directly, as ChainState.StateDigest does, without opening (which would reconnect).
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        sha.AppendData("p2p/state/1"u8);
        foreach (var family in ChainFamilies.State)
            foreach (var (key, value) in t.Database.ScanPrefix(RecordKey.For(family)))
            {
                sha.AppendData(BigEndian((uint)key.Length));
                sha.AppendData(key);
                sha.AppendData(BigEndian((uint)value.Length));
                sha.AppendData(value);
            }
        return sha.GetHashAndReset();
    }

    private static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    [Fact]
    public void GenesisBlock_IsHeightZero_AndItsHashSeedsEpochZero()
    {
        using var t = new TestChain();
        var genesis = GenesisBlock.For(t.Genesis);
        Assert.Equal(genesis.Hash(), t.Chain.GenesisHash);
        Assert.Equal(0ul, t.Chain.Head.Height);
        Assert.Equal(genesis.Hash(), t.Chain.MainChainHash(0));
        Assert.Equal(new byte[32], MerkleTree.Root([]));
    }
}
