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
        Assert.True(intake.Submit(withTransfer).HeadChanged);
        Assert.Equal(0, transfers.Count);

        // A heavier branch without the transfer: after the reorganisation it is pending again.
        var other = TestChain.Key(2);
        var branch = new[] { rival.MineNext(other), null! }.ToList();
        Assert.True(rival.Submit(branch[0]).HeadChanged);
        branch[1] = rival.MineNext(other);
        time.Now = TestChain.TimeAt(branch[1].Header.Height);
        foreach (var block in branch) intake.Submit(block);
        Assert.Equal(branch[1].Hash(), main.Chain.Head.Hash);
        Assert.True(transfers.Contains(transfer));
        Assert.Equal(2, heads);
    }
}
