using Microsoft.Extensions.Logging.Abstractions;
using P2P.Consensus.Blocks;
using P2P.Consensus.Gossip;
using P2P.Consensus.Pools;
using P2P.Consensus.Tests.Support;

namespace P2P.Consensus.Tests.Gossip;

/// <summary>The pools follow the head: included items leave, items of blocks a reorganisation undid come back.</summary>
public sealed class BlockIntakeTests
{
    [Fact]
    public void Intake_RemovesIncludedItems_AndPutsBackThoseOfBlocksAReorganisationUndid()
    {
        using var main = new TestChain();
        using var rival = new TestChain(main.Genesis);
        var miner = TestChain.Key(1);
        // One epoch pays the miner, so it can send a transfer.
        foreach (var block in main.Extend(main.Genesis.EpochLength, miner)) Assert.True(rival.Submit(block).HeadChanged);
        var shares = new SharePool(PoolLimits.Shares);
        var transfers = new TransferPool(PoolLimits.Transfers);
        var time = new FixedTime(TestChain.TimeAt(main.Chain.Head.Height + 1));
        var intake = new BlockIntake(main.Chain, shares, transfers, new AccountabilityPool(PoolLimits.Accountability), time, NullLogger.Instance);
        var heads = 0;
        intake.HeadChanged += _ => heads++;

        var transfer = Transfer.Create(miner, main.Chain.ChainId, Samples.Fill(3), 100, 1, 0);
        transfers.Add(transfer);
        var withTransfer = main.MineNext(miner, transfers.Candidates());
        Assert.Single(withTransfer.Items.OfType<Transfer>());
        Assert.True(intake.Submit(withTransfer, BlockSource.Mined).HeadChanged);
        Assert.Equal(0, transfers.Count);

        // A heavier branch without the transfer: after the reorganisation it is pending again.
        var other = TestChain.Key(2);
        var branch = new[] { rival.MineNext(other), null! }.ToList();
        Assert.True(rival.Submit(branch[0]).HeadChanged);
        branch[1] = rival.MineNext(other);
        time.Now = TestChain.TimeAt(branch[1].Header.Height);
        foreach (var block in branch) intake.Submit(block, BlockSource.Gossip);
        Assert.Equal(branch[1].Hash(), main.Chain.Head.Hash);
        Assert.True(transfers.Contains(transfer));
        Assert.Equal(2, heads);
    }

    [Fact]
    public void Intake_RecordsEachBlocksApplyTimeAndSource_AnOrphanWhenItsParentConnectsIt()
    {
        using var main = new TestChain();
        using var source = new TestChain(main.Genesis);
        var miner = TestChain.Key(1);
        var blocks = source.Extend(3, miner);
        var time = new FixedTime(TestChain.TimeAt(1));
        var intake = new BlockIntake(main.Chain, new SharePool(PoolLimits.Shares), new TransferPool(PoolLimits.Transfers), new AccountabilityPool(PoolLimits.Accountability), time, NullLogger.Instance);

        Assert.True(intake.Submit(blocks[0], BlockSource.Mined).HeadChanged);
        var firstAt = time.Now;
        time.Now = TestChain.TimeAt(3);
        Assert.Equal(P2P.Consensus.State.SubmitStatus.Orphan, intake.SubmitBytes(blocks[2].Encode(), BlockSource.Gossip).Status);
        Assert.Null(intake.Arrivals.Find(blocks[2].Hash()));
        time.Now = TestChain.TimeAt(4);
        Assert.True(intake.Submit(blocks[1], BlockSource.Gossip).HeadChanged);
        Assert.Equal(blocks[2].Hash(), main.Chain.Head.Hash);

        Assert.Equal(new BlockArrival(firstAt, BlockSource.Mined), intake.Arrivals.Find(blocks[0].Hash()));
        Assert.Equal(new BlockArrival(time.Now, BlockSource.Gossip), intake.Arrivals.Find(blocks[1].Hash()));
        Assert.Equal(new BlockArrival(time.Now, BlockSource.Orphan), intake.Arrivals.Find(blocks[2].Hash()));
        // A block seen again keeps its first record.
        intake.RecordApplied(blocks[0].Hash(), BlockSource.Sync);
        Assert.Equal(BlockSource.Mined, intake.Arrivals.Find(blocks[0].Hash())!.Value.Source);
    }

    [Fact]
    public void Arrivals_ForgetTheOldestBeyondTheirCapacity()
    {
        var arrivals = new BlockArrivals(capacity: 3);
        var at = DateTimeOffset.UnixEpoch;
        for (byte i = 0; i < 5; i++) Assert.True(arrivals.Record([i], at.AddSeconds(i), BlockSource.Gossip));
        Assert.Equal(3, arrivals.Count);
        Assert.Null(arrivals.Find([1]));
        Assert.Equal(at.AddSeconds(2), arrivals.Find([2])!.Value.AppliedAt);
        Assert.False(arrivals.Record([4], at, BlockSource.Sync));
    }
}
