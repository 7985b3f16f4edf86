using P2P.Consensus.Blocks;
using P2P.Consensus.Pools;
using P2P.Consensus.Tests.Support;

namespace P2P.Consensus.Tests.Pools;

public sealed class PoolTests
{
    private static readonly byte[] ChainId = Samples.Fill(9);

    private static Share ShareAt(ulong height, ulong epoch, ulong nonce) => new(new BlockHeader
    {
        ChainId = ChainId,
        Height = height,
        ParentHash = Samples.Fill(1),
        Epoch = epoch,
        BodyRoot = new byte[32],
        Miner = Samples.Fill(2),
        Nonce = nonce,
    });

    private static Transfer TransferOf(int sender, ulong fee, ulong nonce) =>
        Transfer.Create(TestChain.Key(sender), ChainId, Samples.Fill(3), 10, fee, nonce);

    [Fact]
    public void SharePool_WhenFull_EvictsTheOldest_AndRefusesDuplicates()
    {
        var pool = new SharePool(new PoolLimits(3, long.MaxValue));
        var shares = Enumerable.Range(0, 4).Select(i => ShareAt(5, 1, (ulong)i)).ToList();
        foreach (var share in shares) Assert.True(pool.Add(share));
        Assert.False(pool.Add(shares[3]));
        Assert.Equal(3, pool.Count);
        Assert.False(pool.Contains(shares[0].Id()));
        Assert.True(pool.Contains(shares[1].Id()));
    }

    [Fact]
    public void SharePool_ByteLimit_BoundsTheCount()
    {
        var pool = new SharePool(new PoolLimits(100, 2L * Share.EncodedLength));
        for (ulong i = 0; i < 5; i++) pool.Add(ShareAt(5, 1, i));
        Assert.Equal(2, pool.Count);
        Assert.Equal(2L * Share.EncodedLength, pool.Bytes);
    }

    [Fact]
    public void SharePool_Candidates_AreThoseOfTheNextBlocksEpochWithinTheWindow_AndPruneDropsTheRest()
    {
        var pool = new SharePool(PoolLimits.Shares);
        var current = ShareAt(6, 1, 1);
        var deep = ShareAt(3, 1, 2);
        var oldEpoch = ShareAt(4, 0, 3);
        foreach (var share in new[] { current, deep, oldEpoch }) pool.Add(share);
        Assert.Equal([current], pool.Candidates(nextHeight: 7, nextEpoch: 1, window: 3));
        Assert.Equal(2, pool.Prune(7, 1, 3));
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void TransferPool_WhenFull_EvictsTheLowestFee_AndRefusesOneThatPaysLess()
    {
        var pool = new TransferPool(new PoolLimits(2, long.MaxValue));
        var cheap = TransferOf(1, fee: 1, nonce: 0);
        var rich = TransferOf(2, fee: 5, nonce: 0);
        var middle = TransferOf(3, fee: 3, nonce: 0);
        Assert.True(pool.Add(cheap));
        Assert.True(pool.Add(rich));
        Assert.True(pool.Add(middle));
        Assert.False(pool.Contains(cheap));
        Assert.False(pool.Add(TransferOf(4, fee: 0, nonce: 0)));
        Assert.Equal(2, pool.Count);
    }

    [Fact]
    public void TransferPool_Candidates_KeepEachSendersNonceOrder_AndPruneDropsUsedNonces()
    {
        var pool = new TransferPool(PoolLimits.Transfers);
        var second = TransferOf(1, fee: 9, nonce: 1);
        var first = TransferOf(1, fee: 1, nonce: 0);
        pool.Add(second);
        pool.Add(first);
        Assert.Equal([first, second], pool.Candidates());
        Assert.Equal(1, pool.Prune(_ => 1));
        Assert.Equal([second], pool.Candidates());
    }
}
