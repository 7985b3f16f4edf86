using Microsoft.Extensions.Time.Testing;
using P2P.Networking.Core;
using P2P.Networking.Pubsub;
using P2P.Networking.Tests.Pubsub;
using P2P.Testing;

namespace P2P.Networking.Tests.Host;

/// <summary>The host's <see cref="IPeerReputation"/>: bans on real connections, decay on a fake clock, and P5 in gossipsub.</summary>
public sealed class PeerReputationTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ABan_DisconnectsThePeerAndRefusesItBothWaysUntilItExpires()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var judge = await TestHosts.StartAsync(time: time);
        await using var rogue = await TestHosts.StartAsync();
        try
        {
            var addressOfJudge = judge.ListenAddresses[0].WithPeerId(judge.LocalPeerId);
            await rogue.DialAsync(addressOfJudge).WaitAsync(Limit);
            Assert.True(await Wait.UntilAsync(() => judge.ConnectedPeers.Contains(rogue.LocalPeerId), Limit));

            await judge.Reputation.BanAsync(rogue.LocalPeerId, TimeSpan.FromMinutes(10), "test").WaitAsync(Limit);
            Assert.True(judge.Reputation.IsBanned(rogue.LocalPeerId));
            Assert.True(await Wait.UntilAsync(() => rogue.ConnectedPeers.Count == 0 && judge.ConnectedPeers.Count == 0, Limit));
            judge.Peers.AddAddresses(rogue.LocalPeerId, rogue.ListenAddresses, TimeSpan.FromHours(1));
            await Assert.ThrowsAsync<PeerBannedException>(() => judge.DialAsync(rogue.LocalPeerId).WaitAsync(Limit));

            // The rogue's dial may complete its handshake before the judge hangs up; it never stays connected.
            try
            {
                await rogue.DialAsync(addressOfJudge).WaitAsync(Limit);
            }
            catch (Exception e) when (e is IOException or AggregateException or TimeoutException or OperationCanceledException)
            {
            }
            Assert.True(await Wait.UntilAsync(() => rogue.ConnectedPeers.Count == 0, Limit));
            Assert.DoesNotContain(rogue.LocalPeerId, judge.ConnectedPeers);

            time.Advance(TimeSpan.FromMinutes(10));
            Assert.False(judge.Reputation.IsBanned(rogue.LocalPeerId));
            await judge.DialAsync(rogue.LocalPeerId).WaitAsync(Limit);
            Assert.Contains(rogue.LocalPeerId, judge.ConnectedPeers);
        }
        finally
        {
            await TestHosts.DisposeOnFakeClockAsync(judge, time);
        }
    }

    [Fact]
    public async Task Misbehaviour_DecaysAndEnoughOfItBans()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var host = await TestHosts.StartAsync(o =>
        {
            o.ReputationHalfLife = TimeSpan.FromMinutes(10);
            o.AutoBanScore = -50;
        }, time: time);
        try
        {
            var peer = P2P.Networking.Identity.Ed25519PrivateKey.Generate(new Random(3)).PeerId;
            var reputation = host.Reputation;
            Assert.Equal(0, reputation.ApplicationScore(peer));
            reputation.ReportMisbehaviour(peer, 20, "invalid share");
            Assert.Equal(-20, reputation.ApplicationScore(peer), 6);
            time.Advance(TimeSpan.FromMinutes(10));
            Assert.Equal(-10, reputation.ApplicationScore(peer), 6);
            Assert.False(reputation.IsBanned(peer));
            reputation.ReportMisbehaviour(peer, 40, "invalid block");
            Assert.True(reputation.IsBanned(peer)); // −50 reached

            reputation.Protect(peer, "sync");
            reputation.Protect(peer, "inference");
            Assert.True(reputation.Unprotect(peer, "sync"));
            Assert.True(reputation.IsProtected(peer));
            Assert.True(reputation.Unprotect(peer, "inference"));
            Assert.False(reputation.IsProtected(peer));
            Assert.False(reputation.Unprotect(peer, "inference"));
        }
        finally
        {
            await TestHosts.DisposeOnFakeClockAsync(host, time);
        }
    }

    [Fact]
    public async Task ReportedMisbehaviour_LowersTheGossipsubScore()
    {
        await using var swarm = new PubsubTestSwarm();
        // The score decays on the host's real clock between the report and the read; a year's half-life keeps that
        // drift under the assertion's precision however long a loaded machine stalls between the two.
        var a = await swarm.AddAsync(network: o => o.ReputationHalfLife = TimeSpan.FromDays(365));
        var b = await swarm.AddAsync();
        await swarm.ConnectAsync(0, 1);
        Assert.True(await Wait.UntilAsync(() => a.Peers().Count == 1, Limit));
        var before = a.GetScore(b.LocalPeer);
        swarm.Hosts[0].Reputation.ReportMisbehaviour(b.LocalPeer, 2, "test");
        // P5: application score −2 × weight 10; nothing else moves without topics.
        Assert.Equal(before - 20, a.GetScore(b.LocalPeer), 3);
    }
}
