using System.Numerics;
using P2P.Consensus.Blocks;
using P2P.Consensus.Sync;
using P2P.Consensus.Tests.Support;
using P2P.Networking.RequestResponse;
using P2P.Simulation;

namespace P2P.Consensus.Tests.Sync;

/// <summary>
/// Acceptance 3 on the simulated network: peers serving invalid blocks, an endless header chain, headers that do not
/// connect, oversized messages, bodies that do not match their headers, or another chain — none changes the honest
/// node's state, each is scored down or banned, and the honest node still reaches the honest head.
/// </summary>
public sealed class HostilePeerSyncTests
{
    private const int HonestLength = 30;
    private readonly List<Block> _honest = SyncFixtures.MineChain(HonestLength);
    private readonly SimulatedNetwork _network = SyncFixtures.Network(HonestLength + 20);

    private ForgedChain Forge(int honestPrefix) =>
        new(TestChain.EasyGenesis(), HostileServer.GenesisHeader(TestChain.EasyGenesis()), _honest.Take(honestPrefix));

    private async Task AssertHonestHeadReachedAsync(SyncNode fresh, SyncNode honest)
    {
        var target = _honest[^1].Hash();
        Assert.True(await _network.RunUntilAsync(() => fresh.HasHead(target), SyncFixtures.Limit), $"stuck at {fresh.Test.Chain.Head.Height}");
        Assert.Equal(honest.Test.Chain.StateDigest(), fresh.Test.Chain.StateDigest());
    }

    private static void AssertBanned(SyncNode node, HostileServer hostile, string reason)
    {
        Assert.True(node.Peer.Reputation.IsBanned(hostile.Id), "the hostile peer is not banned");
        Assert.False(node.Peer.IsConnectedTo(hostile.Peer));
        Assert.Contains(node.Peer.Reputation.Reports, r => r.Peer == hostile.Id && r.Reason.Contains(reason, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Sync_RefusesAnInvalidBlockAndBansItsSender_BehindValidHeaders()
    {
        var forged = Forge(10);
        var invalid = forged.Extend([new Share(forged.Tip.Header)]); // a share that is its parent block: not credit-worthy
        forged.ExtendBy(40);
        using var honest = new SyncNode(_network).Holding(_honest);
        using var hostile = new HostileServer(_network, TestChain.EasyGenesis(), forged);
        using var fresh = new SyncNode(_network);
        _network.ConnectAll();
        fresh.Start();

        await AssertHonestHeadReachedAsync(fresh, honest);
        AssertBanned(fresh, hostile, "invalid block");
        Assert.NotNull(fresh.Test.Chain.InvalidReason(invalid.Hash()));
        Assert.DoesNotContain(fresh.Peer.Reputation.Reports, r => r.Peer == honest.Peer.Id);
    }

    [Fact]
    public async Task Sync_HoldsAtMostThePendingCap_AndBansTheSender_OfAnEndlessHeaderChain()
    {
        var hostileChain = Forge(5);
        using var honest = new SyncNode(_network).Holding(_honest);
        using var hostile = new HostileServer(_network, TestChain.EasyGenesis(), hostileChain)
        {
            Endless = true,
            Status = s => s with { Height = 1_000_000_000, CumulativeWork = BigInteger.One << 200 },
        };
        var options = new SyncOptions { MaxPendingHeaders = 64, HeadersPerRequest = 32 };
        using var fresh = new SyncNode(_network, options: options);
        _network.ConnectAll();
        fresh.Start();

        int mostPending = 0;
        var target = _honest[^1].Hash();
        Assert.True(await _network.RunUntilAsync(() =>
        {
            mostPending = Math.Max(mostPending, fresh.Sync.Progress.PendingHeaders);
            return fresh.HasHead(target);
        }, SyncFixtures.Limit), $"stuck at {fresh.Test.Chain.Head.Height}");
        Assert.Equal(honest.Test.Chain.StateDigest(), fresh.Test.Chain.StateDigest());
        Assert.InRange(mostPending, 1, 64);
        Assert.InRange(hostile.HeadersServed, 64, 64 * 4); // it was asked for the cap's worth, not its claimed billion
        AssertBanned(fresh, hostile, "served none of the bodies");
        Assert.DoesNotContain(fresh.Peer.Reputation.Reports, r => r.Peer == honest.Peer.Id);
    }

    [Fact]
    public async Task Sync_BansTheSender_OfHeadersThatDoNotConnect()
    {
        using var honest = new SyncNode(_network).Holding(_honest);
        using var skipping = new HostileServer(_network, TestChain.EasyGenesis(), Forge(HonestLength).ExtendBy(5)) { Headers = h => h.Skip(3).ToList() };
        using var swapping = new HostileServer(_network, TestChain.EasyGenesis(), Forge(HonestLength).ExtendBy(6))
        {
            Headers = h => h.Count < 4 ? h : [h[0], h[2], h[1], .. h.Skip(3)],
        };
        using var fresh = new SyncNode(_network);
        _network.ConnectAll();
        fresh.Start();

        await AssertHonestHeadReachedAsync(fresh, honest);
        AssertBanned(fresh, skipping, "do not connect");
        AssertBanned(fresh, swapping, "invalid header");
    }

    [Fact]
    public async Task Sync_BansTheSender_OfAnOversizedAnswer()
    {
        using var honest = new SyncNode(_network).Holding(_honest);
        var flooder = _network.AddPeer();
        var raw = new RequestResponseDefinition<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>(
            SyncLimits.ProtocolId, new RawBytesCodec(SyncLimits.MaxRequestBytes), new RawBytesCodec(16 << 20));
        using var serving = flooder.RequestResponse.Create(raw).Serve((_, _, _) => Task.FromResult<ReadOnlyMemory<byte>>(new byte[3 << 20]));
        using var fresh = new SyncNode(_network);
        _network.ConnectAll();
        fresh.Start();

        await AssertHonestHeadReachedAsync(fresh, honest);
        Assert.True(fresh.Peer.Reputation.IsBanned(flooder.Id));
        Assert.Contains(fresh.Peer.Reputation.Reports, r => r.Peer == flooder.Id && r.Reason.Contains("exceeds the limit"));

        // The other way: an oversized request to the honest server is refused unread, and the server keeps serving.
        var bigRequests = new RequestResponseDefinition<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>(
            SyncLimits.ProtocolId, new RawBytesCodec(1 << 20), new RawBytesCodec(16 << 20));
        var flood = flooder.RequestResponse.Create(bigRequests).RequestAsync(honest.Peer.Id, new byte[1 << 20]);
        Assert.True(await _network.RunUntilAsync(() => flood.IsCompleted, SyncFixtures.Limit));
        Assert.True(flood.IsFaulted);
        Assert.Equal(_honest[^1].Hash(), honest.Test.Chain.Head.Hash);
        var status = fresh.Sync.RequestStatusAsync(honest.Peer.Id);
        Assert.True(await _network.RunUntilAsync(() => status.IsCompleted, SyncFixtures.Limit));
        Assert.Equal((ulong)HonestLength, (await status)!.Height);
    }

    [Fact]
    public async Task Sync_RefetchesFromAnHonestPeer_BodiesThatDoNotMatchTheirHeaders()
    {
        using var honest = new SyncNode(_network).Holding(_honest);
        using var mangler = new HostileServer(_network, TestChain.EasyGenesis(), Forge(HonestLength))
        {
            Body = b => new Block(b.Header, [new Share(b.Header)]).Encode(),
        };
        var options = new SyncOptions { BodiesPerRequest = 4, ParallelRequests = 2 };
        using var fresh = new SyncNode(_network, options: options);
        _network.ConnectAll();
        fresh.Start();

        await AssertHonestHeadReachedAsync(fresh, honest);
        AssertBanned(fresh, mangler, "does not match its header");
        // A mangled body condemns the sender, never the block: the real block was applied.
        Assert.All(_honest, b => Assert.Null(fresh.Test.Chain.InvalidReason(b.Hash())));
    }

    [Fact]
    public async Task Status_RefusesAndBansAPeerOfAnotherChain_OnBothSides()
    {
        var otherGenesis = TestChain.EasyGenesis("another-chain");
        List<Block> otherBlocks;
        using (var other = new TestChain(otherGenesis)) otherBlocks = other.Extend(HonestLength + 10, TestChain.Key(4));
        using var honest = new SyncNode(_network).Holding(_honest);
        using var stranger = new SyncNode(_network, otherGenesis).Holding(otherBlocks);
        using var fresh = new SyncNode(_network);
        _network.ConnectAll();
        fresh.Start();
        honest.Start();
        stranger.Start();

        await AssertHonestHeadReachedAsync(fresh, honest);
        Assert.True(fresh.Peer.Reputation.IsBanned(stranger.Peer.Id));
        Assert.Contains(fresh.Peer.Reputation.Reports, r => r.Peer == stranger.Peer.Id && r.Reason.Contains("another chain"));
        // The honest server, polled by the stranger, answered its status and banned it at its own poll; the stranger's chain is unchanged.
        Assert.True(await _network.RunUntilAsync(() => honest.Peer.Reputation.IsBanned(stranger.Peer.Id), SyncFixtures.Limit));
        Assert.Equal(otherBlocks[^1].Hash(), stranger.Test.Chain.Head.Hash);
    }
}
