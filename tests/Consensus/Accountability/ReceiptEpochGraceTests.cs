using P2P.Consensus.Blocks;
using P2P.Consensus.Ledger;
using P2P.Consensus.Reasons;
using P2P.Consensus.State;
using P2P.Consensus.Tests.Support;
using P2P.Networking.Identity;

namespace P2P.Consensus.Tests.Accountability;

/// <summary>
/// A receipt signed as its epoch ends may be included in the next epoch's blocks and is drawn there (docs/consensus.md
/// §4.5); two epochs late it is refused. Epochs are 4 blocks: epoch 0 is heights 1–4, epoch 1 is 5–8, epoch 2 is 9–12.
/// </summary>
public sealed class ReceiptEpochGraceTests : IDisposable
{
    private static readonly Ed25519PrivateKey Alice = TestChain.Key(1), Bob = TestChain.Key(2);
    private static readonly Ed25519PrivateKey[] Validators = [TestChain.Key(3), TestChain.Key(4), TestChain.Key(5)];
    private readonly TestChain _t = new(TestChain.EasyGenesis() with { VerdictDeadlineBlocks = 6 });

    public void Dispose() => _t.Dispose();

    /// <summary>Block 1 declares the validators' span in epoch 0; Alice mines the rest of epoch 0 (heights 2–4).</summary>
    private void DeclareAndCloseEpochZero()
    {
        var declarations = Validators.Select(v => (BodyItem)Samples.Declaration(v, _t.Chain.ChainId, epoch: 0)).ToList();
        Assert.True(_t.Submit(_t.MineRaw(Alice, declarations)).HeadChanged);
        _t.Extend(3, Alice);
        Assert.Equal(4ul, _t.Chain.Head.Height);
    }

    [Fact]
    public void ReceiptOfThePreviousEpoch_InTheFirstBlockOfTheNext_IsAcceptedDrawnAndCountedInTheIncludingEpoch()
    {
        DeclareAndCloseEpochZero();
        var receipt = Samples.Receipt(Bob, _t.Chain.ChainId, epoch: 0);
        Assert.Equal(RejectReason.None, _t.Chain.CheckItem(receipt, _t.NextTime));

        Assert.True(_t.Submit(_t.MineRaw(Alice, [receipt])).HeadChanged);
        Assert.Equal(1ul, _t.Chain.Math.EpochOf(_t.Chain.Head.Height));
        var status = _t.Chain.GetReceiptStatus(receipt.Id(_t.Chain.ChainId))!;
        Assert.Equal(5ul, status.Height);
        Assert.True(status.Drawn);
        Assert.Equal(ReceiptState.Open, status.State);
        Assert.Equal(3, status.Validators.Count);
        Assert.Equal(new ValidationCounts(1, 1, 0, 0, 0), _t.Chain.GetValidationCounts(1));
        Assert.Equal(0ul, _t.Chain.GetValidationCounts(0).Receipts);

        // The drawn validator judges it in epoch 1 like any other receipt.
        var validator = Validators.Single(v => TestChain.Pub(v).AsSpan().SequenceEqual(status.Validators[0]));
        var verdict = Samples.Verdict(validator, _t.Chain.ChainId, status.ReceiptId, valid: true, epoch: 1);
        Assert.True(_t.Submit(_t.MineRaw(Alice, [verdict])).HeadChanged);
        Assert.Equal(ReceiptState.FinalValid, _t.Chain.GetReceiptStatus(status.ReceiptId)!.State);
    }

    [Fact]
    public void ReceiptTwoEpochsBack_IsRefused_AndLeavesTheStateUnchanged()
    {
        DeclareAndCloseEpochZero();
        _t.Extend(4, Alice);   // heights 5–8: epoch 1; the next block opens epoch 2
        var receipt = Samples.Receipt(Bob, _t.Chain.ChainId, epoch: 0);
        Assert.Equal(RejectReason.ReceiptWrongEpoch, _t.Chain.CheckItem(receipt, _t.NextTime));

        var digest = _t.Chain.StateDigest();
        var result = _t.Submit(_t.MineRaw(Alice, [receipt]));
        Assert.Equal(SubmitStatus.Invalid, result.Status);
        Assert.Equal(RejectReason.ReceiptWrongEpoch, result.Reason);
        Assert.Equal(digest, _t.Chain.StateDigest());
        Assert.Null(_t.Chain.GetReceiptStatus(receipt.Id(_t.Chain.ChainId)));
    }

    [Fact]
    public void ReceiptOfTheNextEpoch_IsRefused()
    {
        var receipt = Samples.Receipt(Bob, _t.Chain.ChainId, epoch: 1);
        Assert.Equal(RejectReason.ReceiptWrongEpoch, _t.Chain.CheckItem(receipt, _t.NextTime));
    }
}
