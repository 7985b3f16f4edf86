using Microsoft.Extensions.Logging.Abstractions;
using P2P.Consensus.Blocks;
using P2P.Consensus.Gossip;
using P2P.Consensus.Pools;
using P2P.Consensus.Reasons;
using P2P.Consensus.Tests.Accountability;
using P2P.Consensus.Tests.Support;
using P2P.Networking.Pubsub;

namespace P2P.Consensus.Tests.Gossip;

/// <summary>Gossip validation of receipts, verdicts and declarations, and their pool following the head.</summary>
public sealed class AccountabilityCheckTests
{
    private static (ValidationResult, RejectReason) Check(TestChain t, BodyItemType type, byte[] bytes)
    {
        var (verdict, reason, _) = AccountabilityCheck.Check(t.Chain, type, bytes, t.NextTime);
        return (verdict, reason);
    }

    [Fact]
    public void Receipt_Valid_IsAccepted_Forged_IsRejected_OtherEpoch_IsIgnored()
    {
        using var t = new TestChain();
        var id = t.Chain.ChainId;
        var receipt = Samples.Receipt(TestChain.Key(2), id, epoch: 0);
        Assert.Equal((ValidationResult.Accept, RejectReason.None), Check(t, BodyItemType.Receipt, receipt.Encode()));
        Assert.Equal((ValidationResult.Reject, RejectReason.ReceiptBadSignature), Check(t, BodyItemType.Receipt, (receipt with { OutputCount = 9 }).Encode()));
        Assert.Equal((ValidationResult.Ignore, RejectReason.ReceiptWrongEpoch), Check(t, BodyItemType.Receipt, Samples.Receipt(TestChain.Key(2), id, epoch: 1).Encode()));
        var nonCanonical = receipt.Encode();
        nonCanonical[3 * 32 + 8] = 2;
        Assert.Equal((ValidationResult.Reject, RejectReason.NonCanonicalEncoding), Check(t, BodyItemType.Receipt, nonCanonical));
        Assert.Equal((ValidationResult.Reject, RejectReason.Malformed), Check(t, BodyItemType.Receipt, receipt.Encode()[1..]));

        Assert.True(t.Submit(t.MineNext(TestChain.Key(1), [receipt])).HeadChanged);
        Assert.Equal((ValidationResult.Ignore, RejectReason.ReceiptDuplicate), Check(t, BodyItemType.Receipt, receipt.Encode()));
    }

    [Fact]
    public void Verdict_FromTheDrawnValidator_IsAccepted_Inconsistent_IsRejected_Unentitled_IsIgnored()
    {
        using var s = new ValidationScenario();
        var t = s.T;
        Assert.Equal((ValidationResult.Accept, RejectReason.None), Check(t, BodyItemType.Verdict, s.Verdict(s.Drawn[0], valid: true).Encode()));
        Assert.Equal((ValidationResult.Ignore, RejectReason.VerdictNotEntitled), Check(t, BodyItemType.Verdict, s.Verdict(s.Drawn[1], valid: true).Encode()));
        var inconsistent = (s.Verdict(s.Drawn[0], valid: true) with { Reason = VerdictReason.LogProbMismatch }).SignedBy(s.Drawn[0], s.ChainId);
        Assert.Equal((ValidationResult.Reject, RejectReason.VerdictInconsistent), Check(t, BodyItemType.Verdict, inconsistent.Encode()));
        Assert.Equal((ValidationResult.Reject, RejectReason.VerdictBadSignature), Check(t, BodyItemType.Verdict, (s.Verdict(s.Drawn[0], valid: true) with { OutputHash = Samples.Fill(1) }).Encode()));
        var future = (s.Verdict(s.Drawn[0], valid: true) with { Epoch = 7 }).SignedBy(s.Drawn[0], s.ChainId);
        Assert.Equal((ValidationResult.Ignore, RejectReason.VerdictWrongEpoch), Check(t, BodyItemType.Verdict, future.Encode()));
    }

    [Fact]
    public void Declaration_Valid_IsAccepted_Forged_IsRejected()
    {
        using var t = new TestChain();
        var declaration = Samples.Declaration(TestChain.Key(3), t.Chain.ChainId, epoch: 0);
        Assert.Equal((ValidationResult.Accept, RejectReason.None), Check(t, BodyItemType.ServiceDeclaration, declaration.Encode()));
        Assert.Equal((ValidationResult.Reject, RejectReason.DeclarationBadSignature), Check(t, BodyItemType.ServiceDeclaration, (declaration with { ShardStart = 1 }).Encode()));
        Assert.Equal((ValidationResult.Ignore, RejectReason.DeclarationWrongEpoch), Check(t, BodyItemType.ServiceDeclaration, Samples.Declaration(TestChain.Key(3), t.Chain.ChainId, epoch: 2).Encode()));
    }

    [Fact]
    public void Pool_IsIncludedByTemplates_EmptiedByTheBlock_AndRefilledWhenAReorganisationUndoesIt()
    {
        using var main = new TestChain();
        using var rival = new TestChain(main.Genesis);
        var miner = TestChain.Key(1);
        var pool = new AccountabilityPool(PoolLimits.Accountability);
        var time = new FixedTime(TestChain.TimeAt(1));
        var intake = new BlockIntake(main.Chain, new SharePool(PoolLimits.Shares), new TransferPool(PoolLimits.Transfers), pool, time, NullLogger.Instance);
        var receipt = Samples.Receipt(TestChain.Key(2), main.Chain.ChainId, epoch: 0);
        var declaration = Samples.Declaration(TestChain.Key(3), main.Chain.ChainId, epoch: 0);
        Assert.True(pool.Add(receipt) && pool.Add(declaration));
        Assert.False(pool.Add(receipt));

        var block = main.MineNext(miner, pool.Candidates());
        Assert.Equal(2, block.Items.Count);
        Assert.True(intake.Submit(block, BlockSource.Gossip).HeadChanged);
        Assert.Equal(0, pool.Count);

        var other = TestChain.Key(4);
        var first = rival.MineNext(other);
        Assert.True(rival.Submit(first).HeadChanged);
        var second = rival.MineNext(other);
        time.Now = TestChain.TimeAt(2);
        intake.Submit(first, BlockSource.Gossip);
        intake.Submit(second, BlockSource.Gossip);
        Assert.Equal(second.Hash(), main.Chain.Head.Hash);
        Assert.True(pool.Contains(receipt) && pool.Contains(declaration));
    }

    [Fact]
    public void Pool_WhenFull_EvictsTheOldest_AndPrunesWhatNoLaterBlockCanInclude()
    {
        var chainId = Samples.Fill(9);
        var pool = new AccountabilityPool(new PoolLimits(2, long.MaxValue));
        var a = Samples.Receipt(TestChain.Key(2), chainId, epoch: 1, task: 1);
        var b = Samples.Receipt(TestChain.Key(2), chainId, epoch: 1, task: 2);
        var c = Samples.Declaration(TestChain.Key(3), chainId, epoch: 1);
        Assert.True(pool.Add(a) && pool.Add(b) && pool.Add(c));
        Assert.False(pool.Contains(a));
        Assert.False(pool.Add(new Share(new BlockHeader { ChainId = chainId, ParentHash = chainId, BodyRoot = chainId, Miner = chainId })));
        var old = Samples.Verdict(TestChain.Key(4), chainId, Samples.Fill(1), true, epoch: 0);
        var pruning = new AccountabilityPool(PoolLimits.Accountability);
        pruning.Add(b);
        pruning.Add(old);
        Assert.Equal(0, pruning.Prune(nextEpoch: 1, _ => false));
        // Epoch 2's blocks may still include the epoch-1 receipt (docs/consensus.md §4.5), not the epoch-0 verdict.
        Assert.Equal(1, pruning.Prune(nextEpoch: 2, _ => false));
        Assert.True(pruning.Contains(b));
        Assert.Equal(1, pruning.Prune(nextEpoch: 3, _ => false));
        Assert.Equal(0, pruning.Count);
    }
}
