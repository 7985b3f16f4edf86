using P2P.Consensus.Blocks;
using P2P.Consensus.Mining;
using P2P.Consensus.Reasons;
using P2P.Consensus.Rules;
using P2P.Consensus.Tests.Support;

namespace P2P.Consensus.Tests.Rules;

/// <summary>Shares whose work was verified once are not verified again under the same epoch seed.</summary>
public sealed class VerifiedShareCacheTests : IDisposable
{
    private static readonly P2P.Networking.Identity.Ed25519PrivateKey Alice = TestChain.Key(1), Carol = TestChain.Key(3);
    private readonly TestChain _t = new();

    public void Dispose() => _t.Dispose();

    private static byte[] Id(int n) => Enumerable.Repeat((byte)n, 32).ToArray();

    [Fact]
    public void VerifiedShareCache_KeepsAtMostItsCapacity_ForgettingTheOldestFirst()
    {
        var cache = new VerifiedShareCache(2);
        var seed = Id(9);
        cache.Add(Id(1), seed);
        cache.Add(Id(2), seed);
        cache.Add(Id(1), seed);
        cache.Add(Id(3), seed);

        Assert.Equal(2, cache.Count);
        Assert.False(cache.Contains(Id(1), seed));
        Assert.True(cache.Contains(Id(2), seed));
        Assert.True(cache.Contains(Id(3), seed));
        Assert.False(cache.Contains(Id(3), Id(8)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VerifiedShareCache(0));
    }

    [Fact]
    public void CheckShareWork_RemembersPasses_PerEpochSeed_AndNeverFailures()
    {
        var math = _t.Chain.Math;
        var share = _t.MineShare(Carol);
        var seed = _t.Chain.EpochSeedForChildOf(share.Header.ParentHash);
        var cache = new VerifiedShareCache(16);

        Assert.Equal(RejectReason.None, ItemRules.CheckShareWork(math, share, share.Id(), seed, cache));
        Assert.True(cache.Contains(share.Id(), seed));

        var weak = new Share(WeakNonce(share.Header, seed));
        Assert.Equal(RejectReason.ShareInsufficientWork, ItemRules.CheckShareWork(math, weak, weak.Id(), seed, cache));
        Assert.False(cache.Contains(weak.Id(), seed));
        // What is cached is trusted: a (forged) entry for the weak share under this seed only, to show the work is skipped.
        cache.Add(weak.Id(), seed);
        Assert.Equal(RejectReason.None, ItemRules.CheckShareWork(math, weak, weak.Id(), seed, cache));
        Assert.Equal(RejectReason.ShareInsufficientWork, ItemRules.CheckShareWork(math, weak, weak.Id(), Id(7), cache));
    }

    [Fact]
    public void BuildTemplate_GivesTheSameItems_WhenItsSharesAreAlreadyVerified()
    {
        _t.Extend(1, Alice);
        var shares = new List<BodyItem> { _t.MineShare(Carol), _t.MineShare(Carol, startNonce: 1000) };
        var seed = _t.Chain.EpochSeedForChildOf(_t.Chain.Head.Hash);
        shares.Add(new Share(WeakNonce(((Share)shares[0]).Header, seed)));

        var first = _t.Chain.BuildTemplate(TestChain.Pub(Alice), shares, _t.NextTime);
        var second = _t.Chain.BuildTemplate(TestChain.Pub(Alice), shares, _t.NextTime);

        Assert.Equal(2, first.Items.Count);
        Assert.Equal(first.Encode(), second.Encode());
        Assert.True(_t.Submit(_t.Mine(second)).HeadChanged);
    }

    private BlockHeader WeakNonce(BlockHeader header, byte[] seed)
    {
        for (ulong nonce = 0; ; nonce++)
            if (HeaderWork.Classify(_t.Chain.Math, header with { Nonce = nonce }, seed) == WorkClass.None) return header with { Nonce = nonce };
    }
}
