using P2P.Consensus.Blocks;
using P2P.Consensus.Mining;
using P2P.Consensus.Reasons;
using P2P.Consensus.Rules;
using P2P.Consensus.State;
using P2P.Consensus.Tests.Support;

namespace P2P.Consensus.Tests.Rules;

/// <summary>Acceptance 4: every invalid input is rejected with its reason code and leaves the state digest unchanged.</summary>
public sealed class InvalidBlockTests : IDisposable
{
    private readonly TestChain _t = new();
    private static readonly P2P.Networking.Identity.Ed25519PrivateKey Alice = TestChain.Key(1), Bob = TestChain.Key(2), Carol = TestChain.Key(3);

    public void Dispose() => _t.Dispose();

    private void AssertRejected(Block block, RejectReason reason, DateTimeOffset? now = null)
    {
        var digest = _t.Chain.StateDigest();
        var head = _t.Chain.Head;
        var result = _t.Submit(block, now);
        Assert.Equal(SubmitStatus.Invalid, result.Status);
        Assert.Equal(reason, result.Reason);
        Assert.False(result.HeadChanged);
        Assert.Equal(digest, _t.Chain.StateDigest());
        Assert.Equal(head.Hash, _t.Chain.Head.Hash);
    }

    /// <summary>One epoch of Alice's blocks: she holds its whole issuance.</summary>
    private void FundAlice() => _t.Extend(4, Alice);

    [Fact]
    public void Block_IsRejected_WithABadWorkHash()
    {
        var block = _t.MineRaw(Alice, []);
        var seed = _t.Chain.EpochSeedForChildOf(block.Header.ParentHash);
        var header = block.Header;
        do header = header with { Nonce = header.Nonce + 1 };
        while (HeaderWork.Classify(_t.Chain.Math, header, seed) == WorkClass.Block && header.Nonce < 1_000_000);
        AssertRejected(block with { Header = header }, RejectReason.InsufficientWork);
    }

    [Fact]
    public void Block_IsRejected_WithWrongNBits()
    {
        var block = _t.MineRaw(Alice, [], h => h with { Bits = 0x20070000 });
        AssertRejected(block, RejectReason.WrongBits);
    }

    [Fact]
    public void Block_IsRejected_WithATimestampNotAboveTheMedianOfTheLast11()
    {
        _t.Extend(3, Alice);
        var median = _t.Chain.MedianTimePast();
        var block = _t.MineRaw(Alice, [], h => h with { Timestamp = median });
        AssertRejected(block, RejectReason.TimestampTooEarly);
    }

    [Fact]
    public void Block_IsRejectedButNotRememberedAsInvalid_WithATimestampTooFarAhead()
    {
        var now = TestChain.TimeAt(1);
        var block = _t.MineRaw(Alice, [], h => h with { Timestamp = now.ToUnixTimeSeconds() + _t.Genesis.MaxFutureDriftSeconds + 1 });
        AssertRejected(block, RejectReason.TimestampTooFarAhead, now);
        Assert.Null(_t.Chain.InvalidReason(block.Hash()));
        var later = _t.Chain.Submit(block, now.AddSeconds(1));
        Assert.True(later.HeadChanged, later.ToString());
    }

    [Fact]
    public void Block_IsRejected_WithTheWrongEpoch()
    {
        var block = _t.MineRaw(Alice, [], h => h with { Epoch = 1 });
        AssertRejected(block, RejectReason.EpochMismatch);
    }

    [Fact]
    public void Block_IsRejected_WithTheWrongHeight()
    {
        var block = _t.MineRaw(Alice, [], h => h with { Height = 2 });
        AssertRejected(block, RejectReason.HeightMismatch);
    }

    [Fact]
    public void Block_IsRejected_WithABadBodyRoot()
    {
        var block = _t.MineRaw(Alice, [_t.MineShare(Bob)], h => h with { BodyRoot = new byte[32] });
        AssertRejected(block, RejectReason.BadBodyRoot);
    }

    [Fact]
    public void Block_IsAcceptedWithItsRealBody_AfterARelayWithAMangledBody()
    {
        var block = _t.MineNext(Alice, [_t.MineShare(Bob)]);
        AssertRejected(block with { Items = [] }, RejectReason.BadBodyRoot);
        Assert.Null(_t.Chain.InvalidReason(block.Hash()));
        Assert.True(_t.Submit(block).HeadChanged);
    }

    [Fact]
    public void Block_IsRejected_OfAnotherChainId()
    {
        var block = _t.MineRaw(Alice, [], h => h with { ChainId = TestChain.EasyGenesis("other").ChainId });
        AssertRejected(block, RejectReason.WrongChainId);
    }

    [Fact]
    public void Share_IsRejected_WhenCreditedTwiceAcrossBlocks()
    {
        var share = _t.MineShare(Bob);
        Assert.True(_t.Submit(_t.MineRaw(Alice, [share])).HeadChanged);
        AssertRejected(_t.MineRaw(Alice, [share]), RejectReason.ShareDuplicate);
    }

    [Fact]
    public void Share_IsRejected_TwiceInOneBlock()
    {
        var share = _t.MineShare(Bob);
        AssertRejected(_t.MineRaw(Alice, [share, share]), RejectReason.ShareDuplicate);
    }

    [Fact]
    public void Share_IsRejected_FromAnotherEpoch()
    {
        _t.Extend(3, Alice);                      // heights 1..3 of epoch 0
        var share = _t.MineShare(Bob);            // height 4, epoch 0
        _t.Extend(1, Alice);                      // height 4 closes epoch 0
        AssertRejected(_t.MineRaw(Alice, [share]), RejectReason.ShareWrongEpoch);
    }

    [Fact]
    public void Share_IsRejected_DeeperThanTheWindow()
    {
        var share = _t.MineShare(Bob);            // height 1, parent genesis
        _t.Extend(2, Alice);                      // heights 1, 2: a block at 3 is 2 deep, within W = 3
        var withinWindow = _t.MineRaw(Alice, [share]);
        _t.Extend(1, Alice);                      // height 3: a block at 4 would be 3 deep
        AssertRejected(_t.MineRaw(Alice, [share]), RejectReason.ShareTooDeep);
        Assert.Equal(3ul, withinWindow.Header.Height);
    }

    [Fact]
    public void Share_IsRejected_MeetingOnlyAWeakerTarget()
    {
        var share = _t.MineShare(Bob);
        var seed = _t.Chain.EpochSeedForChildOf(share.Header.ParentHash);
        var header = share.Header;
        do header = header with { Nonce = header.Nonce + 1 };
        while (HeaderWork.Classify(_t.Chain.Math, header, seed) != WorkClass.None && header.Nonce < 1_000_000);
        AssertRejected(_t.MineRaw(Alice, [new Share(header)]), RejectReason.ShareInsufficientWork);
    }

    [Fact]
    public void Share_IsRejected_OnAnotherBranch()
    {
        var share = _t.MineShare(Bob);
        var onOtherParent = share.Header with { ParentHash = new byte[32] };
        var seed = _t.Chain.EpochSeedForChildOf(share.Header.ParentHash);
        var mined = new Share(FindShare(onOtherParent, seed));
        AssertRejected(_t.MineRaw(Alice, [mined]), RejectReason.ShareNotOnChain);
    }

    private BlockHeader FindShare(BlockHeader header, byte[] seed)
    {
        for (ulong nonce = 0; nonce < 1_000_000; nonce++)
            if (HeaderWork.Classify(_t.Chain.Math, header with { Nonce = nonce }, seed) == WorkClass.Share) return header with { Nonce = nonce };
        throw new InvalidOperationException("no share in a million nonces");
    }

    [Fact]
    public void Transfer_IsRejected_WithABadSignature()
    {
        FundAlice();
        var transfer = Transfer.Create(Alice, _t.Chain.ChainId, TestChain.Pub(Bob), 10, 1, 0);
        var forged = transfer with { Amount = 20 };
        AssertRejected(_t.MineRaw(Carol, [forged]), RejectReason.TransferBadSignature);
        var otherChain = Transfer.Create(Alice, TestChain.EasyGenesis("other").ChainId, TestChain.Pub(Bob), 10, 1, 0);
        AssertRejected(_t.MineRaw(Carol, [otherChain]), RejectReason.TransferBadSignature);
    }

    [Fact]
    public void Transfer_IsRejected_WithAWrongNonce()
    {
        FundAlice();
        AssertRejected(_t.MineRaw(Carol, [Transfer.Create(Alice, _t.Chain.ChainId, TestChain.Pub(Bob), 10, 1, 1)]), RejectReason.TransferWrongNonce);
        var first = Transfer.Create(Alice, _t.Chain.ChainId, TestChain.Pub(Bob), 10, 1, 0);
        AssertRejected(_t.MineRaw(Carol, [first, first]), RejectReason.TransferWrongNonce);
    }

    [Fact]
    public void Transfer_IsRejected_WhenItOverspends()
    {
        FundAlice();
        ulong balance = _t.Chain.GetAccount(TestChain.Pub(Alice)).Balance;
        Assert.Equal(1000ul, balance);
        AssertRejected(_t.MineRaw(Carol, [Transfer.Create(Alice, _t.Chain.ChainId, TestChain.Pub(Bob), balance, 1, 0)]), RejectReason.TransferOverspend);
        AssertRejected(_t.MineRaw(Carol, [Transfer.Create(Bob, _t.Chain.ChainId, TestChain.Pub(Alice), 1, 0, 0)]), RejectReason.TransferOverspend);
    }

    [Fact]
    public void Block_IsRejected_WithAnOversizedBody()
    {
        var transfers = Enumerable.Range(0, 30).Select(i => (BodyItem)Transfer.Create(Alice, _t.Chain.ChainId, TestChain.Pub(Bob), 1, 0, (ulong)i)).ToList();
        var block = _t.MineRaw(Alice, transfers);
        Assert.True(block.EncodedLength > _t.Genesis.MaxBlockBytes);
        AssertRejected(block, RejectReason.BlockTooLarge);
        var digest = _t.Chain.StateDigest();
        var result = _t.Chain.SubmitBytes(block.Encode(), TestChain.TimeAt(1));
        Assert.Equal(RejectReason.BlockTooLarge, result.Reason);
        Assert.Equal(digest, _t.Chain.StateDigest());
    }

    [Fact]
    public void Block_IsRejected_WithTooManyShares_AndTheTemplateBuilderStopsAtTheCap()
    {
        int cap = _t.Chain.Math.MaxSharesPerBlock;
        Assert.Equal(16, cap);
        var shares = new List<BodyItem>();
        for (ulong start = 0; shares.Count <= cap; start = ((Share)shares[^1]).Header.Nonce + 1)
            shares.Add(_t.MineShare(Bob, start));
        AssertRejected(_t.MineRaw(Alice, shares), RejectReason.TooManyShares);
        var template = _t.MineNext(Alice, shares);
        Assert.Equal(cap, template.Items.Count);
        Assert.True(_t.Submit(template).HeadChanged);
    }

    [Fact]
    public void Block_IsRejected_WithItemsOutOfBodyOrder()
    {
        FundAlice();
        var transfer = Transfer.Create(Alice, _t.Chain.ChainId, TestChain.Pub(Bob), 10, 1, 0);
        AssertRejected(_t.MineRaw(Carol, [transfer, _t.MineShare(Bob)]), RejectReason.ItemsOutOfOrder);
    }

    [Fact]
    public void Block_IsRejected_WithANonCanonicalEncoding()
    {
        FundAlice();
        var receipt = Samples.Receipt(Bob, _t.Chain.ChainId, epoch: 1);
        var block = _t.MineRaw(Alice, [receipt]);
        var bytes = block.Encode();
        // The receipt's deterministic byte sits after three keys and the two shard bounds: 2 decodes as "deterministic" but re-encodes as 1.
        int outcome = bytes.Length - Receipt.EncodedLength + 3 * 32 + 8;
        Assert.Equal(1, bytes[outcome]);
        bytes[outcome] = 2;
        var digest = _t.Chain.StateDigest();
        var result = _t.Chain.SubmitBytes(bytes, TestChain.TimeAt(5));
        Assert.Equal(RejectReason.NonCanonicalEncoding, result.Reason);
        Assert.Equal(digest, _t.Chain.StateDigest());

        var truncated = _t.Chain.SubmitBytes(block.Encode()[..^1], TestChain.TimeAt(5));
        Assert.Equal(RejectReason.Malformed, truncated.Reason);
        var trailing = _t.Chain.SubmitBytes([.. block.Encode(), 0], TestChain.TimeAt(5));
        Assert.Equal(RejectReason.Malformed, trailing.Reason);
        Assert.True(_t.Chain.SubmitBytes(block.Encode(), TestChain.TimeAt(5)).HeadChanged);
    }

    [Fact]
    public void InProcessBlock_IsMalformed_WithAFieldOfTheWrongLength()
    {
        var block = _t.MineNext(Alice);
        AssertRejected(block with { Header = block.Header with { Miner = new byte[31] } }, RejectReason.Malformed);
        var transfer = Transfer.Create(Alice, _t.Chain.ChainId, TestChain.Pub(Bob), 1, 0, 0) with { Signature = new byte[63] };
        AssertRejected(block with { Items = [transfer] }, RejectReason.Malformed);
    }

    [Fact]
    public void Child_IsInvalid_OfABlockRejectedBeforeStorage()
    {
        var bad = _t.MineRaw(Alice, [], h => h with { Bits = 0x20070000 });
        AssertRejected(bad, RejectReason.WrongBits);
        var child = new Block(bad.Header with { Height = 2, ParentHash = bad.Hash(), Timestamp = bad.Header.Timestamp + 5 }, []);
        AssertRejected(child, RejectReason.InvalidAncestor);
        Assert.Equal(RejectReason.InvalidAncestor, _t.Chain.InvalidReason(child.Hash()));
        Assert.Equal(0, _t.Chain.OrphanCount);
    }

    [Fact]
    public void Descendant_IsInvalid_OfAnInvalidBlock()
    {
        var bad = _t.MineRaw(Alice, [Transfer.Create(Bob, _t.Chain.ChainId, TestChain.Pub(Alice), 1, 0, 0)]);
        AssertRejected(bad, RejectReason.TransferOverspend);
        var math = _t.Chain.Math;
        var child = new Block(bad.Header with
        {
            Height = 2,
            ParentHash = bad.Hash(),
            Timestamp = bad.Header.Timestamp + 5,
            BodyRoot = MerkleTree.Root([]),
            Bits = math.NextBits(2, bad.Header.Timestamp),
        }, []);
        child = _t.Mine(child);
        AssertRejected(child, RejectReason.InvalidAncestor);
        Assert.Equal(RejectReason.InvalidAncestor, _t.Chain.InvalidReason(child.Hash()));
        Assert.Equal(RejectReason.TransferOverspend, _t.Chain.InvalidReason(bad.Hash()));
        Assert.Equal(SubmitStatus.Invalid, _t.Submit(bad).Status);
    }
}
