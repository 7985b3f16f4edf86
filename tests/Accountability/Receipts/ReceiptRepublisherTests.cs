using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using P2P.Accountability.Receipts;
using P2P.Consensus.Blocks;
using P2P.Consensus.Gossip;
using P2P.Networking.Identity;
using P2P.Networking.Pubsub;

namespace P2P.Accountability.Tests.Receipts;

/// <summary>
/// The gateway's re-publish policy on real chains: a receipt whose publish was lost is published again after two
/// blocks and lands in exactly one block; a peer that already pools it ignores the re-publish without penalty; the
/// wait doubles up to its cap and the receipt is given up when its epoch's window closes; the store is bounded.
/// Gossip runs on a simulated network and a fake clock.
/// </summary>
public sealed class ReceiptRepublisherTests
{
    private static readonly Ed25519PrivateKey Executor = Key(1), Miner = Key(2);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task LostPublish_IsPublishedAgainAfterTwoBlocks_AndLandsInExactlyOneBlock()
    {
        await using var nodes = await GatewayAndMiner.StartAsync();
        var (gateway, miner, republisher) = (nodes.Gateway, nodes.Miner, nodes.Republisher);
        var receipt = gateway.Receipt(Executor, task: 1);
        var id = receipt.Id(gateway.Chain.ChainId);
        nodes.Network.Partition([nodes.GatewayPeer], [nodes.MinerPeer]);
        Assert.True(republisher.Track(receipt, id));
        await gateway.Gossip!.PublishReceiptAsync(receipt, CancellationToken.None);
        await nodes.Network.RunForAsync(5 * Second);  // past the message cache's gossip window: nothing recovers it
        nodes.Network.Heal();
        Assert.False(miner.Pool.Contains(receipt));

        await nodes.MineFollowAndRepublishAsync(Miner, blocks: 5);

        Assert.Equal([2ul], nodes.PublishedAt);
        Assert.Equal([3ul], miner.HeightsIncluding(id));
        Assert.Equal(new RepublishStats(Pending: 0, Republished: 1, Landed: 1, Expired: 0, Evicted: 0), republisher.Stats);
        Assert.Equal(1, miner.Gossip!.Counters.Get(ChainTopics.Receipts, ValidationResult.Accept));
    }

    [Fact]
    public async Task RepublishOfAReceiptThePeerPools_IsIgnoredWithoutPenalty_AndIncludedOnce()
    {
        await using var nodes = await GatewayAndMiner.StartAsync();
        var (gateway, miner, republisher) = (nodes.Gateway, nodes.Miner, nodes.Republisher);
        var receipt = gateway.Receipt(Executor, task: 2);
        var id = receipt.Id(gateway.Chain.ChainId);
        Assert.True(republisher.Track(receipt, id));
        await gateway.Gossip!.PublishReceiptAsync(receipt, CancellationToken.None);
        Assert.True(await nodes.Network.RunUntilAsync(() => miner.Pool.Contains(receipt), Second));

        // The miner leaves it out of two blocks (a full block, a template built before it arrived): the gateway publishes it
        // again as a new message, which the miner's pool already holds.
        await nodes.MineFollowAndRepublishAsync(Miner, blocks: 2, withPool: false);
        Assert.Equal([2ul], nodes.PublishedAt);
        var counters = miner.Gossip!.Counters;
        Assert.Equal((1, 1, 0), (counters.Get(ChainTopics.Receipts, ValidationResult.Accept), counters.Get(ChainTopics.Receipts, ValidationResult.Ignore),
            counters.Get(ChainTopics.Receipts, ValidationResult.Reject)));
        double score = nodes.MinerPeer.Pubsub.GetScore(nodes.GatewayPeer.Id);
        Assert.True(score >= 0, $"the gateway's score at the miner is {score}");

        await nodes.MineFollowAndRepublishAsync(Miner, blocks: 2);
        Assert.Equal([3ul], miner.HeightsIncluding(id));
        Assert.False(republisher.IsPending(id));
        Assert.Equal([2ul], nodes.PublishedAt);
    }

    [Fact]
    public async Task ReceiptNoBlockTakes_IsPublishedAgainWithDoublingWaits_AndGivenUpWhenItsEpochWindowCloses()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var gateway = new GossipChainNode(GossipChainNode.EasyGenesis(time.GetUtcNow(), epochLength: 16), time);
        var publishedAt = new List<ulong>();
        var republisher = new ReceiptRepublisher(gateway.Chain, (_, _) => { publishedAt.Add(gateway.Chain.Head.Height); return ValueTask.CompletedTask; },
            new RepublishPolicy(FirstRetryBlocks: 2, MaxRetryBlocks: 16), NullLogger.Instance);
        var receipt = gateway.Receipt(Executor, task: 3);   // epoch 0: blocks 1–32 (epochs 0 and 1) may include it
        var id = receipt.Id(gateway.Chain.ChainId);
        Assert.True(republisher.Track(receipt, id));

        for (int height = 1; height <= 33; height++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await gateway.MineAsync(Miner, withPool: false);
            await republisher.RunOnceAsync(CancellationToken.None);
            Assert.Equal(height < 32, republisher.IsPending(id));
        }

        Assert.Equal([2ul, 6ul, 14ul, 30ul], publishedAt);   // waits of 2, 4, 8, then the cap of 16 blocks
        Assert.Equal(new RepublishStats(Pending: 0, Republished: 4, Landed: 0, Expired: 1, Evicted: 0), republisher.Stats);
    }

    [Fact]
    public async Task Store_IsBounded_TheOldestGoesFirst_AndAReceiptOfAPassedEpochIsNotKept()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var gateway = new GossipChainNode(GossipChainNode.EasyGenesis(time.GetUtcNow(), epochLength: 4), time);
        var republisher = new ReceiptRepublisher(gateway.Chain, (_, _) => ValueTask.CompletedTask, new RepublishPolicy(Capacity: 2), NullLogger.Instance);
        var receipts = Enumerable.Range(10, 3).Select(t => gateway.Receipt(Executor, (byte)t)).ToList();
        var ids = receipts.Select(r => r.Id(gateway.Chain.ChainId)).ToList();
        for (int i = 0; i < receipts.Count; i++) Assert.True(republisher.Track(receipts[i], ids[i]));
        Assert.False(republisher.Track(receipts[2], ids[2]));
        Assert.Equal([false, true, true], ids.Select(republisher.IsPending));
        Assert.Equal(1, republisher.Stats.Evicted);

        var stale = gateway.Receipt(Executor, task: 20);   // epoch 0, signed by an executor whose chain is behind
        for (int height = 1; height <= 8; height++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await gateway.MineAsync(Miner, withPool: false);
        }
        Assert.False(republisher.Track(stale, stale.Id(gateway.Chain.ChainId)));   // the next block is in epoch 2
        Assert.Equal(1, republisher.Stats.Expired);
    }

    private static Ed25519PrivateKey Key(int n)
    {
        var seed = new byte[32];
        seed[0] = (byte)n;
        seed[31] = 0x6B;
        return Ed25519PrivateKey.FromSeed(seed);
    }
}
