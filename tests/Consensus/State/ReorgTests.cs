using P2P.Consensus.Blocks;
using P2P.Consensus.Reasons;
using P2P.Consensus.Rules;
using P2P.Consensus.State;
using P2P.Consensus.Tests.Support;

namespace P2P.Consensus.Tests.State;

/// <summary>Fork choice by cumulative work, reorganisations through undo records, orphans and invalid branches.</summary>
public sealed class ReorgTests : IDisposable
{
    private static readonly P2P.Networking.Identity.Ed25519PrivateKey Alice = TestChain.Key(1), Bob = TestChain.Key(2), Carol = TestChain.Key(3);
    private readonly TestChain _a = new(), _b = new(), _reference = new();

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _reference.Dispose();
    }

    private static void AssertSameState(TestChain expected, TestChain actual)
    {
        Assert.Equal(expected.Chain.Head.Hash, actual.Chain.Head.Hash);
        Assert.Equal(expected.Chain.StateDigest(), actual.Chain.StateDigest());
        Assert.Equal(expected.Chain.Totals, actual.Chain.Totals);
        var expectedAccounts = expected.Chain.Accounts().Select(a => (Convert.ToHexString(a.Key), a.Account)).ToList();
        Assert.Equal(expectedAccounts, actual.Chain.Accounts().Select(a => (Convert.ToHexString(a.Key), a.Account)).ToList());
    }

    /// <summary>Node A mines its own branch, node B a longer one with shares and transfers across an epoch boundary; A reorganises onto B's and ends identical to a node that only saw B's.</summary>
    [Theory]
    [InlineData(2, 3)]
    [InlineData(3, 7)]  // the fork straddles the end of epoch 0 (height 4) and B's branch closes epoch 1 too
    [InlineData(6, 9)]
    [InlineData(20, 23)] // five epochs deep
    public void HeavierBranch_Wins_AndTheStateEqualsACleanReplay(int minority, int majority)
    {
        _a.Extend(minority, Alice);
        var branch = new List<Block>();
        for (int i = 0; i < majority; i++)
        {
            var items = new List<BodyItem> { _b.MineShare(Carol) };
            if (_b.Chain.Head.Height == 4)
                items.Add(Transfer.Create(Bob, _b.Chain.ChainId, TestChain.Pub(Carol), 100, 3, 0));
            var block = _b.MineNext(Bob, items);
            Assert.True(_b.Submit(block).HeadChanged);
            branch.Add(block);
        }
        if (majority > 4) Assert.Equal(1ul, _b.Chain.GetAccount(TestChain.Pub(Bob)).Nonce);

        var aDigestBefore = _a.Chain.StateDigest();
        int reorgDepth = 0;
        foreach (var block in branch)
        {
            var result = _a.Submit(block, TestChain.TimeAt((ulong)majority));
            Assert.Equal(SubmitStatus.Accepted, result.Status);
            reorgDepth = Math.Max(reorgDepth, result.ReorgDepth);
        }
        foreach (var block in branch) Assert.True(_reference.Submit(block).HeadChanged);

        Assert.Equal(minority, reorgDepth);
        Assert.NotEqual(aDigestBefore, _a.Chain.StateDigest());
        AssertSameState(_reference, _a);
        AssertSameState(_b, _a);
        Assert.Equal(0ul, _a.Chain.GetAccount(TestChain.Pub(Alice)).Balance);

        // The reorganised state survives a reopen with paranoid checks.
        _a.Reopen();
        AssertSameState(_reference, _a);
    }

    [Fact]
    public void ForkChoice_KeepsTheFirstSeenHead_OnEqualWork()
    {
        var mine = _a.Extend(2, Alice);
        var theirs = _b.Extend(2, Bob);
        foreach (var block in theirs) Assert.False(_a.Submit(block).HeadChanged);
        Assert.Equal(mine[^1].Hash(), _a.Chain.Head.Hash);
    }

    [Fact]
    public void Orphans_Connect_WhenTheirParentArrives()
    {
        var blocks = _b.Extend(5, Bob);
        for (int i = blocks.Count - 1; i >= 1; i--)
            Assert.Equal(SubmitStatus.Orphan, _a.Submit(blocks[i]).Status);
        Assert.Equal(4, _a.Chain.OrphanCount);
        var result = _a.Submit(blocks[0]);
        Assert.True(result.HeadChanged);
        Assert.Equal(0, _a.Chain.OrphanCount);
        AssertSameState(_b, _a);
    }

    [Fact]
    public void OrphanPool_RespectsItsCountLimit()
    {
        using var limited = new TestChain();
        var chain = ChainState.Open(limited.Database, limited.Genesis, new ChainOptions { SyncWrites = false, OrphanLimit = 2 });
        var blocks = _b.Extend(5, Bob);
        for (int i = 1; i < blocks.Count; i++) chain.Submit(blocks[i], TestChain.TimeAt(10));
        Assert.Equal(2, chain.OrphanCount);
    }

    [Fact]
    public void OrphanPool_RespectsItsByteLimit_AndEvictsTheOldest()
    {
        using var limited = new TestChain();
        var blocks = _b.Extend(6, Bob);
        int size = blocks[1].EncodedLength;
        var chain = ChainState.Open(limited.Database, limited.Genesis, new ChainOptions { SyncWrites = false, OrphanByteLimit = 3 * size + size / 2 });
        for (int i = 1; i < blocks.Count; i++) Assert.Equal(SubmitStatus.Orphan, chain.Submit(blocks[i], TestChain.TimeAt(10)).Status);
        Assert.Equal(3, chain.OrphanCount);
        // Blocks 1 and 2 were evicted: the parent connects nothing further.
        Assert.True(chain.Submit(blocks[0], TestChain.TimeAt(10)).HeadChanged);
        Assert.Equal(1ul, chain.Head.Height);
        Assert.True(chain.Submit(blocks[1], TestChain.TimeAt(10)).HeadChanged);
        Assert.Equal(SubmitStatus.Accepted, chain.Submit(blocks[2], TestChain.TimeAt(10)).Status);
        Assert.Equal(6ul, chain.Head.Height);
    }

    /// <summary>A heavier branch whose second block has an invalid transfer: the node tries it, marks that block and its descendant invalid, and returns to its own chain.</summary>
    [Fact]
    public void HeavierBranch_IsAbandoned_WithAnInvalidBlock()
    {
        _a.Extend(2, Alice);
        var ownHead = _a.Chain.Head.Hash;
        var ownDigest = _a.Chain.StateDigest();

        var first = _b.MineNext(Bob);
        Assert.True(_b.Submit(first).HeadChanged);
        // Overspending transfer: valid header and body root, invalid against the ledger.
        var bad = _b.MineRaw(Bob, [Transfer.Create(Carol, _b.Chain.ChainId, TestChain.Pub(Bob), 5, 0, 0)]);
        Assert.Equal(RejectReason.TransferOverspend, _b.Submit(bad).Reason);
        // B cannot build on it itself, so forge the child by hand on top of the bad block's header.
        var child = ForgeChild(bad);

        Assert.Equal(SubmitStatus.Accepted, _a.Submit(first).Status);
        var badResult = _a.Submit(bad);
        Assert.False(badResult.HeadChanged);
        var childResult = _a.Submit(child);
        Assert.Equal(SubmitStatus.Invalid, childResult.Status);
        Assert.Equal(RejectReason.InvalidAncestor, childResult.Reason);
        Assert.Equal(RejectReason.TransferOverspend, _a.Chain.InvalidReason(bad.Hash()));
        Assert.Equal(ownHead, _a.Chain.Head.Hash);
        Assert.Equal(ownDigest, _a.Chain.StateDigest());

        _a.Reopen();
        Assert.Equal(ownHead, _a.Chain.Head.Hash);
        Assert.Equal(RejectReason.InvalidAncestor, _a.Chain.InvalidReason(child.Hash()));
    }

    private Block ForgeChild(Block parent)
    {
        var math = _b.Chain.Math;
        var header = parent.Header with
        {
            Height = parent.Header.Height + 1,
            ParentHash = parent.Hash(),
            Timestamp = parent.Header.Timestamp + 5,
            Bits = math.NextBits(parent.Header.Height + 1, parent.Header.Timestamp),
            Epoch = math.EpochOf(parent.Header.Height + 1),
            BodyRoot = MerkleTree.Root([]),
            Nonce = 0,
        };
        var seed = _b.Chain.EpochSeedForChildOf(parent.Hash());
        var mined = P2P.Consensus.Mining.HeaderWork.Mine(math, header, seed, 0, 1_000_000)!;
        return new Block(mined, []);
    }
}
