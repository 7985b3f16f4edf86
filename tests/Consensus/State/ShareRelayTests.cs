using P2P.Consensus.Blocks;
using P2P.Consensus.Mining;
using P2P.Consensus.Reasons;
using P2P.Consensus.State;
using P2P.Consensus.Tests.Support;

namespace P2P.Consensus.Tests.State;

/// <summary><see cref="ChainState.CheckShareForRelay"/>: the share check gossip uses, for shares whose parent is on any known branch.</summary>
public sealed class ShareRelayTests : IDisposable
{
    private static readonly P2P.Networking.Identity.Ed25519PrivateKey Alice = TestChain.Key(1), Bob = TestChain.Key(2), Carol = TestChain.Key(3);
    private readonly TestChain _a = new(), _b = new();

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    [Fact]
    public void CheckShareForRelay_AcceptsAShareOnALighterBranch_WithThatBranchsEpochSeed()
    {
        _a.Extend(6, Alice);
        var branch = _b.Extend(4, Bob);   // ends at height 4, the last block of epoch 0: its hash seeds epoch 1 on that branch
        var share = _b.MineShare(Carol);
        foreach (var block in branch) Assert.Equal(SubmitStatus.Accepted, _a.Submit(block).Status);
        Assert.Equal(6ul, _a.Chain.Head.Height);
        Assert.Equal(branch[^1].Hash(), _a.Chain.EpochSeedForChildOf(share.Header.ParentHash));

        Assert.Equal(RejectReason.ShareNotOnChain, _a.Chain.CheckShare(share, TestChain.TimeAt(7)));
        Assert.Equal(RejectReason.None, _a.Chain.CheckShareForRelay(share));
        Assert.Equal(RejectReason.None, _a.Chain.CheckShareForRelay(share));
    }

    [Fact]
    public void CheckShareForRelay_RefusesWhatNoBranchCouldCredit_WithTheRuleBroken()
    {
        _a.Extend(1, Alice);
        var share = _a.MineShare(Carol);
        var header = share.Header;

        Assert.Equal(RejectReason.None, _a.Chain.CheckShareForRelay(share));
        Assert.Equal(RejectReason.ShareWrongChainId, _a.Chain.CheckShareForRelay(new Share(header with { ChainId = new byte[32] })));
        Assert.Equal(RejectReason.ShareBadHeader, _a.Chain.CheckShareForRelay(new Share(header with { Height = 0 })));
        Assert.Equal(RejectReason.ShareWrongEpoch, _a.Chain.CheckShareForRelay(new Share(header with { Epoch = 1 })));
        Assert.Equal(RejectReason.ParentUnknown, _a.Chain.CheckShareForRelay(new Share(header with { ParentHash = new byte[32] })));
        Assert.Equal(RejectReason.ShareNotOnChain, _a.Chain.CheckShareForRelay(new Share(header with { Height = 3 })));
        Assert.Equal(RejectReason.ShareWrongBits, _a.Chain.CheckShareForRelay(new Share(header with { Bits = 0x20040000 })));
        Assert.Equal(RejectReason.Malformed, _a.Chain.CheckShareForRelay(new Share(header with { Miner = new byte[3] })));
        Assert.Equal(RejectReason.ShareInsufficientWork, _a.Chain.CheckShareForRelay(new Share(WeakNonce(header))));

        _a.Submit(_a.MineNext(Alice, [share]));
        Assert.Equal(RejectReason.ShareDuplicate, _a.Chain.CheckShareForRelay(share));
        var other = _b.Extend(1, Bob);
        _a.Submit(other[0]);
        _a.Extend(2, Alice);
        Assert.Equal(RejectReason.ShareTooDeep, _a.Chain.CheckShareForRelay(_b.MineShare(Carol)));
    }

    /// <summary>The header with the first nonce whose work meets neither target.</summary>
    private BlockHeader WeakNonce(BlockHeader header)
    {
        var seed = _a.Chain.EpochSeedForChildOf(header.ParentHash);
        for (ulong nonce = 0; ; nonce++)
            if (HeaderWork.Classify(_a.Chain.Math, header with { Nonce = nonce }, seed) == WorkClass.None) return header with { Nonce = nonce };
    }
}
