using P2P.Consensus.Blocks;
using P2P.Consensus.Ledger;
using P2P.Consensus.Rules;
using P2P.Consensus.Tests.Support;

namespace P2P.Consensus.Tests.Ledger;

/// <summary>Epoch seeds, share credit, the reward split at each epoch's last block, transfers, and verdict forfeits on a real chain.</summary>
public sealed class EpochTests : IDisposable
{
    private static readonly P2P.Networking.Identity.Ed25519PrivateKey Alice = TestChain.Key(1), Bob = TestChain.Key(2), Carol = TestChain.Key(3), Dave = TestChain.Key(4);
    private readonly TestChain _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public void Epoch_seed_is_the_hash_of_the_previous_epochs_last_block()
    {
        Assert.Equal(_t.Chain.GenesisHash, _t.Chain.EpochSeedForChildOf(_t.Chain.Head.Hash));
        var blocks = _t.Extend(5, Alice);
        Assert.Equal(blocks[3].Hash(), _t.Chain.EpochSeedForChildOf(blocks[3].Hash()));   // height 5 is in epoch 1
        Assert.Equal(blocks[3].Hash(), _t.Chain.EpochSeedForChildOf(blocks[4].Hash()));
        Assert.Equal(_t.Chain.GenesisHash, _t.Chain.EpochSeedForChildOf(blocks[2].Hash()));
    }

    [Fact]
    public void Shares_and_headers_are_credited_and_the_epoch_is_split_pro_rata()
    {
        var math = _t.Chain.Math;
        // Epoch 0: Alice mines 4 blocks, Bob contributes 3 shares, Carol 1.
        var first = _t.MineShare(Bob);
        _t.Submit(_t.MineNext(Alice, [first, _t.MineShare(Carol)]));
        Assert.True(_t.Chain.IsShareCredited(0, first.Id()));
        _t.Submit(_t.MineNext(Alice, [_t.MineShare(Bob)]));
        _t.Submit(_t.MineNext(Alice, [_t.MineShare(Bob)]));
        var weightsBefore = _t.Chain.GetEpochWeights(0);
        Assert.Equal(3, weightsBefore.Count);
        _t.Submit(_t.MineNext(Alice));
        Assert.Equal(4ul, _t.Chain.Head.Height);

        var record = _t.Chain.GetEpochRecord(0)!;
        var credit = math.ShareCredit(_t.Genesis.InitialBits);
        Assert.Equal(credit * 8, record.TotalWeight);
        var byMiner = record.Rewards.ToDictionary(r => Convert.ToHexString(r.Miner));
        Assert.Equal(credit * 4, byMiner[Convert.ToHexString(TestChain.Pub(Alice))].Weight);
        Assert.Equal(500ul, byMiner[Convert.ToHexString(TestChain.Pub(Alice))].Reward);
        Assert.Equal(375ul, byMiner[Convert.ToHexString(TestChain.Pub(Bob))].Reward);
        Assert.Equal(125ul, byMiner[Convert.ToHexString(TestChain.Pub(Carol))].Reward);
        Assert.Equal(500ul, _t.Chain.GetAccount(TestChain.Pub(Alice)).Balance);
        Assert.Equal(new LedgerTotals(1000, 0, 1), _t.Chain.Totals);
        Assert.Equal(1000, (int)_t.Chain.ScheduledIssuance);
        // The closed epoch's share index is dropped: its shares cannot be included any more anyway.
        Assert.False(_t.Chain.IsShareCredited(0, first.Id()));
    }

    [Fact]
    public void Check_share_says_whether_the_next_block_could_credit_it()
    {
        var share = _t.MineShare(Bob);
        var now = TestChain.TimeAt(1);
        Assert.Equal(RejectReason.None, _t.Chain.CheckShare(share, now));
        Assert.Equal(RejectReason.ShareWrongChainId, _t.Chain.CheckShare(new Share(share.Header with { ChainId = new byte[32] }), now));
        Assert.Equal(RejectReason.Malformed, _t.Chain.CheckShare(new Share(share.Header with { Miner = new byte[3] }), now));
        _t.Submit(_t.MineNext(Alice, [share]));
        Assert.Equal(RejectReason.ShareDuplicate, _t.Chain.CheckShare(share, TestChain.TimeAt(2)));
        _t.Extend(2, Alice);
        Assert.Equal(RejectReason.ShareTooDeep, _t.Chain.CheckShare(share, TestChain.TimeAt(4)));
    }

    [Fact]
    public void Transfers_move_balances_and_pay_fees_to_the_miner()
    {
        _t.Extend(4, Alice);
        var id = _t.Chain.ChainId;
        var block = _t.MineNext(Carol, [
            Transfer.Create(Alice, id, TestChain.Pub(Bob), 300, 7, 0),
            Transfer.Create(Alice, id, TestChain.Pub(Bob), 100, 3, 1),
            Transfer.Create(Bob, id, TestChain.Pub(Dave), 50, 0, 0),
        ]);
        Assert.Equal(3, block.Items.Count);
        Assert.True(_t.Submit(block).HeadChanged);
        Assert.Equal(new Account(590, 2), _t.Chain.GetAccount(TestChain.Pub(Alice)));
        Assert.Equal(new Account(350, 1), _t.Chain.GetAccount(TestChain.Pub(Bob)));
        Assert.Equal(new Account(10, 0), _t.Chain.GetAccount(TestChain.Pub(Carol)));
        Assert.Equal(new Account(50, 0), _t.Chain.GetAccount(TestChain.Pub(Dave)));
    }

    [Fact]
    public void Transfer_to_oneself_in_ones_own_block_only_moves_the_nonce()
    {
        _t.Extend(4, Alice);
        var block = _t.MineNext(Alice, [Transfer.Create(Alice, _t.Chain.ChainId, TestChain.Pub(Alice), 1000 - 9, 9, 0)]);
        Assert.Single(block.Items);
        Assert.True(_t.Submit(block).HeadChanged);
        Assert.Equal(new Account(1000, 1), _t.Chain.GetAccount(TestChain.Pub(Alice)));
    }

    [Fact]
    public void Template_builder_drops_items_that_would_be_invalid()
    {
        _t.Extend(4, Alice);
        var id = _t.Chain.ChainId;
        var good = Transfer.Create(Alice, id, TestChain.Pub(Bob), 10, 1, 0);
        var block = _t.MineNext(Carol, [good, good, Transfer.Create(Bob, id, TestChain.Pub(Alice), 11, 0, 0)]);
        Assert.Equal([good], block.Items);
        Assert.True(_t.Submit(block).HeadChanged);
    }

    /// <summary>An "invalid" verdict escalates to 1 + 2 verdicts; the majority is final and the losing side forfeits the epoch's reward, which is not issued.</summary>
    [Fact]
    public void Final_invalid_verdict_forfeits_the_executor_and_the_dissenting_validator()
    {
        var id = _t.Chain.ChainId;
        var receipt = Samples.Receipt(Bob, id, epoch: 0);
        var receiptId = receipt.Id(id);
        // Bob executes and mines; Carol and Dave say invalid, Alice (wrongly) valid.
        _t.Submit(_t.MineNext(Alice, [_t.MineShare(Bob), receipt]));
        _t.Submit(_t.MineNext(Alice, [Samples.Verdict(Carol, id, receiptId, valid: false, epoch: 0), _t.MineShare(Dave), _t.MineShare(Carol)]));
        Assert.Equal(ReceiptState.Open, _t.Chain.GetReceipt(receiptId)!.State);
        var late = _t.MineRaw(Alice, [Samples.Verdict(Carol, id, receiptId, valid: false, epoch: 0)]);
        Assert.Equal(RejectReason.VerdictDuplicate, _t.Submit(late).Reason);
        Assert.Equal(RejectReason.VerdictBySelf, _t.Submit(_t.MineRaw(Alice, [Samples.Verdict(Bob, id, receiptId, valid: true, epoch: 0)])).Reason);
        _t.Submit(_t.MineNext(Alice, [Samples.Verdict(Alice, id, receiptId, valid: true, epoch: 0), Samples.Verdict(Dave, id, receiptId, valid: false, epoch: 0)]));
        Assert.Equal(ReceiptState.FinalInvalid, _t.Chain.GetReceipt(receiptId)!.State);
        Assert.Equal(RejectReason.VerdictReceiptFinal, _t.Submit(_t.MineRaw(Alice, [Samples.Verdict(TestChain.Key(9), id, receiptId, valid: false, epoch: 0)])).Reason);
        _t.Submit(_t.MineNext(Carol));

        var record = _t.Chain.GetEpochRecord(0)!;
        Assert.Equal(2, _t.Chain.GetEpochForfeits(0).Count);
        var alice = record.Rewards.Single(r => r.Miner.AsSpan().SequenceEqual(TestChain.Pub(Alice)));
        var bob = record.Rewards.Single(r => r.Miner.AsSpan().SequenceEqual(TestChain.Pub(Bob)));
        Assert.True(alice.Forfeited && bob.Forfeited);
        Assert.Equal(0ul, _t.Chain.GetAccount(TestChain.Pub(Alice)).Balance);
        Assert.Equal(0ul, _t.Chain.GetAccount(TestChain.Pub(Bob)).Balance);
        Assert.Equal(1000ul, record.Issued + record.Forfeited);
        Assert.Equal(alice.Reward + bob.Reward, record.Forfeited);
        Assert.Equal(new LedgerTotals(record.Issued, record.Forfeited, 1), _t.Chain.Totals);
        ulong balances = 0;
        foreach (var (_, account) in _t.Chain.Accounts()) balances += account.Balance;
        Assert.Equal(record.Issued, balances);
    }

    [Fact]
    public void First_valid_verdict_settles_a_receipt_and_receipts_are_unique_forever()
    {
        var id = _t.Chain.ChainId;
        var receipt = Samples.Receipt(Bob, id, epoch: 0);
        _t.Submit(_t.MineNext(Alice, [receipt]));
        Assert.Equal(RejectReason.ReceiptDuplicate, _t.Submit(_t.MineRaw(Alice, [receipt])).Reason);
        Assert.Equal(RejectReason.ReceiptWrongEpoch, _t.Submit(_t.MineRaw(Alice, [Samples.Receipt(Bob, id, epoch: 1, task: 8)])).Reason);
        Assert.Equal(RejectReason.ReceiptBadSignature, _t.Submit(_t.MineRaw(Alice, [Samples.Receipt(Bob, id, epoch: 0, task: 8) with { ShardEnd = 5 }])).Reason);
        Assert.Equal(RejectReason.VerdictUnknownReceipt, _t.Submit(_t.MineRaw(Alice, [Samples.Verdict(Carol, id, new byte[32], valid: true, epoch: 0)])).Reason);
        _t.Submit(_t.MineNext(Alice, [Samples.Verdict(Carol, id, receipt.Id(id), valid: true, epoch: 0)]));
        Assert.Equal(ReceiptState.FinalValid, _t.Chain.GetReceipt(receipt.Id(id))!.State);
        Assert.Empty(_t.Chain.GetEpochForfeits(0));
    }
}
