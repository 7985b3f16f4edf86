using P2P.Consensus.Sync;
using P2P.Consensus.Tests.Support;
using P2P.Simulation;

namespace P2P.Consensus.Tests.Sync;

/// <summary>Headers-first sync between simulated peers on a fake clock, over real chains and the real work function.</summary>
public sealed class ChainSyncTests
{
    [Fact]
    public async Task Sync_CatchesUpFromSeveralPeers_WhenFarBehind()
    {
        var blocks = SyncFixtures.MineChain(150);
        var network = SyncFixtures.Network(150);
        var options = new SyncOptions { BodiesPerRequest = 8, ParallelRequests = 3, HeadersPerRequest = 64 };
        using var a = new SyncNode(network, options: options).Holding(blocks);
        using var b = new SyncNode(network, options: options).Holding(blocks);
        using var c = new SyncNode(network, options: options).Holding(blocks);
        using var fresh = new SyncNode(network, options: options);
        network.ConnectAll();
        fresh.Start();

        var target = blocks[^1].Hash();
        Assert.True(await network.RunUntilAsync(() => fresh.HasHead(target), SyncFixtures.Limit), $"stuck at {fresh.Test.Chain.Head.Height}");
        Assert.Equal(a.Test.Chain.StateDigest(), fresh.Test.Chain.StateDigest());
        Assert.Equal(150, fresh.Sync.Progress.BlocksApplied);
        // The bodies came from every server, not just the one that gave the headers.
        Assert.All(new[] { a, b, c }, server => Assert.True(server.Sync.BlocksServed > 0, "a server was never asked for bodies"));
        Assert.Equal(150, a.Sync.BlocksServed + b.Sync.BlocksServed + c.Sync.BlocksServed);
        Assert.Empty(fresh.Peer.Reputation.Reports);

        // Caught up: it idles, and reports no sync in progress.
        Assert.True(await network.RunUntilAsync(() => fresh.Sync.Progress.State == SyncState.Idle, SyncFixtures.Limit));
        var progress = fresh.Sync.Progress;
        Assert.False(progress.IsSyncing);
        Assert.Equal(150UL, progress.CurrentHeight);
        Assert.Equal(1.0, progress.Fraction);
        Assert.Equal(3, progress.Peers);
    }

    [Fact]
    public async Task Sync_FollowsALongerChain_AtItsPeriodicRecheck()
    {
        var blocks = SyncFixtures.MineChain(40);
        var network = SyncFixtures.Network(40);
        var options = new SyncOptions { RecheckInterval = TimeSpan.FromSeconds(20) };
        using var server = new SyncNode(network, options: options).Holding(blocks.Take(20));
        using var follower = new SyncNode(network, options: options);
        network.ConnectAll();
        follower.Start();
        Assert.True(await network.RunUntilAsync(() => follower.HasHead(blocks[19].Hash()), SyncFixtures.Limit));

        server.Holding(blocks.Skip(20));
        // No wake-up: the periodic re-check alone finds the new blocks within one interval (plus round trips).
        var before = network.Time.GetUtcNow();
        Assert.True(await network.RunUntilAsync(() => follower.HasHead(blocks[^1].Hash()), SyncFixtures.Limit));
        Assert.True(network.Time.GetUtcNow() - before <= options.RecheckInterval + TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Sync_FetchesBodiesElsewhere_WhenAPeerIsPartitioned()
    {
        var blocks = SyncFixtures.MineChain(80);
        var network = SyncFixtures.Network(80);
        var options = new SyncOptions { BodiesPerRequest = 4, ParallelRequests = 3, RequestTimeout = TimeSpan.FromSeconds(5) };
        using var a = new SyncNode(network, options: options).Holding(blocks);
        using var b = new SyncNode(network, options: options).Holding(blocks);
        using var c = new SyncNode(network, options: options).Holding(blocks);
        using var fresh = new SyncNode(network, options: options);
        network.ConnectAll();
        fresh.Start();

        Assert.True(await network.RunUntilAsync(() => fresh.Sync.Progress.State == SyncState.Bodies, SyncFixtures.Limit));
        // Requests are on the wire to all three; answers from c never come back.
        network.Partition([c.Peer], [fresh.Peer]);
        var start = network.Time.GetUtcNow();
        Assert.True(await network.RunUntilAsync(() => fresh.HasHead(blocks[^1].Hash()), SyncFixtures.Limit), $"stuck at {fresh.Test.Chain.Head.Height}");
        Assert.Contains(fresh.Peer.Reputation.Reports, r => r.Peer == c.Peer.Id && r.Reason.Contains("timed out"));
        Assert.DoesNotContain(fresh.Peer.Reputation.Reports, r => r.Peer != c.Peer.Id);
        Assert.False(fresh.Peer.Reputation.IsBanned(c.Peer.Id));
        // Waiting for c cost one timeout, not one per batch.
        Assert.True(network.Time.GetUtcNow() - start < options.RequestTimeout * 3);
        Assert.Equal(a.Test.Chain.StateDigest(), fresh.Test.Chain.StateDigest());
    }

    [Fact]
    public async Task FetchBlock_ReturnsTheBlockOrNull_WithoutSubmittingIt()
    {
        var blocks = SyncFixtures.MineChain(5);
        var network = SyncFixtures.Network(5);
        using var server = new SyncNode(network).Holding(blocks);
        using var client = new SyncNode(network);
        network.ConnectAll();

        var fetch = client.Sync.FetchBlockAsync(server.Peer.Id, blocks[3].Hash());
        Assert.True(await network.RunUntilAsync(() => fetch.IsCompleted, SyncFixtures.Limit));
        Assert.Equal(blocks[3].Encode(), (await fetch)!.Encode());
        Assert.Equal(0UL, client.Test.Chain.Head.Height); // fetching does not submit

        var missing = client.Sync.FetchBlockAsync(server.Peer.Id, new byte[32]);
        Assert.True(await network.RunUntilAsync(() => missing.IsCompleted, SyncFixtures.Limit));
        Assert.Null(await missing);
        Assert.Empty(client.Peer.Reputation.Reports);
    }

    [Fact]
    public async Task Sync_ReorganisesOntoTheHeavierChain_FromASideBranch()
    {
        var shared = SyncFixtures.MineChain(10);
        var network = SyncFixtures.Network(60);
        using var heavy = new SyncNode(network).Holding(shared);
        using var light = new SyncNode(network).Holding(shared);
        heavy.Test.Extend(30, TestChain.Key(2));
        light.Test.Extend(12, TestChain.Key(3));
        network.ConnectAll();
        light.Start();

        var target = heavy.Test.Chain.Head.Hash;
        Assert.True(await network.RunUntilAsync(() => light.HasHead(target), SyncFixtures.Limit));
        Assert.Equal(heavy.Test.Chain.StateDigest(), light.Test.Chain.StateDigest());
    }
}
