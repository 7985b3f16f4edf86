using P2P.Consensus.Blocks;
using P2P.Consensus.Gossip;
using P2P.Consensus.Reasons;
using P2P.Consensus.Rules;
using P2P.Consensus.State;
using P2P.Consensus.Tests.Support;
using P2P.Networking.Pubsub;

namespace P2P.Consensus.Tests.Gossip;

/// <summary>Gossip validation of shares, transfers and blocks: reject only what no honest node sends.</summary>
public sealed class ItemCheckTests
{
    [Fact]
    public void Share_Valid_IsAccepted_Tampered_IsRejected_Credited_IsIgnored()
    {
        using var test = new TestChain();
        test.Extend(1, TestChain.Key(1));
        var share = test.MineShare(TestChain.Key(2));
        Assert.Equal(ValidationResult.Accept, ItemCheck.Share(test.Chain, share.Encode()).Verdict);

        var otherChain = share.Header with { ChainId = Samples.Fill(7) };
        Assert.Equal((ValidationResult.Reject, RejectReason.ShareWrongChainId), Pick(ItemCheck.Share(test.Chain, otherChain.Encode())));
        var wrongBits = share.Header with { Bits = share.Header.Bits - 1 };
        Assert.Equal((ValidationResult.Reject, RejectReason.ShareWrongBits), Pick(ItemCheck.Share(test.Chain, wrongBits.Encode())));
        Assert.Equal(ValidationResult.Reject, ItemCheck.Share(test.Chain, share.Encode().AsSpan(1)).Verdict);
        var orphan = share.Header with { ParentHash = Samples.Fill(4) };
        Assert.Equal((ValidationResult.Ignore, RejectReason.ParentUnknown), Pick(ItemCheck.Share(test.Chain, orphan.Encode())));

        // Once a block credits it, the share is old news.
        Assert.True(test.Submit(test.MineNext(TestChain.Key(1), [share])).HeadChanged);
        Assert.Equal(ValidationResult.Ignore, ItemCheck.Share(test.Chain, share.Encode()).Verdict);
    }

    [Fact]
    public void Share_WithoutEnoughWork_IsRejected()
    {
        using var test = new TestChain();
        var share = test.MineShare(TestChain.Key(2));
        var seed = test.Chain.EpochSeedForChildOf(share.Header.ParentHash);
        for (ulong nonce = 0; ; nonce++)
        {
            var candidate = share.Header with { Nonce = nonce };
            if (Mining.HeaderWork.Classify(test.Chain.Math, candidate, seed) != Mining.WorkClass.None) continue;
            Assert.Equal((ValidationResult.Reject, RejectReason.ShareInsufficientWork), Pick(ItemCheck.Share(test.Chain, candidate.Encode())));
            return;
        }
    }

    [Fact]
    public void Transfer_BadSignature_IsRejected_Stale_IsIgnored_Valid_IsAccepted()
    {
        using var test = new TestChain();
        var transfer = Transfer.Create(TestChain.Key(1), test.Chain.ChainId, Samples.Fill(3), 5, 1, 0);
        Assert.Equal(ValidationResult.Accept, ItemCheck.Transfer(test.Chain, transfer.Encode()).Verdict);
        var forged = transfer with { Amount = 6 };
        Assert.Equal((ValidationResult.Reject, RejectReason.TransferBadSignature), Pick(ItemCheck.Transfer(test.Chain, forged.Encode())));
        var otherChain = Transfer.Create(TestChain.Key(1), Samples.Fill(8), Samples.Fill(3), 5, 1, 0);
        Assert.Equal(ValidationResult.Reject, ItemCheck.Transfer(test.Chain, otherChain.Encode()).Verdict);
        Assert.Equal(ValidationResult.Reject, ItemCheck.Transfer(test.Chain, new byte[Transfer.EncodedLength + 1]).Verdict);
    }

    [Theory]
    [InlineData(SubmitStatus.Accepted, RejectReason.None, ValidationResult.Accept)]
    [InlineData(SubmitStatus.AlreadyKnown, RejectReason.None, ValidationResult.Ignore)]
    [InlineData(SubmitStatus.Orphan, RejectReason.ParentUnknown, ValidationResult.Ignore)]
    [InlineData(SubmitStatus.Invalid, RejectReason.TimestampTooFarAhead, ValidationResult.Ignore)]
    [InlineData(SubmitStatus.Invalid, RejectReason.InsufficientWork, ValidationResult.Reject)]
    [InlineData(SubmitStatus.Invalid, RejectReason.Malformed, ValidationResult.Reject)]
    [InlineData(SubmitStatus.Invalid, RejectReason.WrongChainId, ValidationResult.Reject)]
    public void BlockVerdict_MapsTheChainsAnswer(SubmitStatus status, RejectReason reason, ValidationResult expected) =>
        Assert.Equal(expected, GossipVerdict.ForBlock(new SubmitResult(status, reason, [], false, 0)));

    private static (ValidationResult, RejectReason) Pick<T>((ValidationResult Verdict, RejectReason Reason, T Item) check) => (check.Verdict, check.Reason);
}
