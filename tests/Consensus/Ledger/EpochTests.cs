using P2P.Consensus.Blocks;
using P2P.Consensus.Ledger;
using P2P.Consensus.Reasons;
using P2P.Consensus.Rules;
using P2P.Consensus.Tests.Support;

namespace P2P.Consensus.Tests.Ledger;

/// <summary>Epoch seeds, share credit, the reward split at each epoch's last block, and transfers on a real chain (verdicts and forfeits: Accountability/VerdictRulesTests).</summary>
public sealed class EpochTests : IDisposable
{
    private static readonly P2P.Networking.Identity.Ed25519PrivateKey Alice = TestChain.Key(1), Bob = TestChain.Key(2), Carol = TestChain.Key(3), Dave = TestChain.Key(4);
    private readonly TestChain _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public void EpochSeed_IsTheHashOfThePreviousEpochsLastBlock()
    {
        Assert.Equal(_t.Chain.GenesisHash, _t.Chain.EpochSeedForChildOf(_t.Chain.Head.Hash));
        var blocks = _t.Extend(5, Alice);
        Assert.Equal(blocks[3].Hash(), _t.Chain.EpochSeedForChildOf(blocks[3].Hash()));   // height 5 is in epoch 1
        Assert.Equal(blocks[3].Hash(), _t.Chain.EpochSeedForChildOf(blocks[4].Hash()));
        Assert.Equal(_t.Chain.GenesisHash, _t.Chain.EpochSeedForChildOf(blocks[2].Hash()));
    }

    [Fact]
    public void SharesAndHeaders_AreCredited_AndTheEpochIsSplitProRata()
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
        var audit = _t.Chain.AuditLedger();
        Assert.True(audit.Holds);
        Assert.Equal((4ul, 1ul, 1000ul, 0ul, 3), (audit.Height, audit.EpochsClosed, audit.Issued, audit.Forfeited, audit.Accounts));
        Assert.Equal(1000, (int)audit.Balances);
        // The closed epoch's share index is dropped: its shares cannot be included any more anyway.
        Assert.False(_t.Chain.IsShareCredited(0, first.Id()));
    }

    [Fact]
    public void CheckShare_SaysWhetherTheNextBlockCouldCreditIt()
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
    public void Transfers_MoveBalances_AndPayFeesToTheMiner()
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
    public void Transfer_OnlyMovesTheNonce_ToOneselfInOnesOwnBlock()
    {
        _t.Extend(4, Alice);
        var block = _t.MineNext(Alice, [Transfer.Create(Alice, _t.Chain.ChainId, TestChain.Pub(Alice), 1000 - 9, 9, 0)]);
        Assert.Single(block.Items);
        Assert.True(_t.Submit(block).HeadChanged);
        Assert.Equal(new Account(1000, 1), _t.Chain.GetAccount(TestChain.Pub(Alice)));
    }

    [Fact]
    public void BuildTemplate_DropsItemsThatWouldBeInvalid()
    {
        _t.Extend(4, Alice);
        var id = _t.Chain.ChainId;
        var good = Transfer.Create(Alice, id, TestChain.Pub(Bob), 10, 1, 0);
        var block = _t.MineNext(Carol, [good, good, Transfer.Create(Bob, id, TestChain.Pub(Alice), 11, 0, 0)]);
        Assert.Equal([good], block.Items);
        Assert.True(_t.Submit(block).HeadChanged);
    }
}
