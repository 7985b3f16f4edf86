using Microsoft.Extensions.Time.Testing;
using P2P.Networking.Host;
using P2P.Networking.Identity;
using P2P.Networking.Multiformats;

namespace P2P.Networking.Tests.Host;

public sealed class PeerStoreTests
{
    private static readonly PeerId Peer = Ed25519PrivateKey.Generate(new Random(1)).PeerId;

    [Fact]
    public void Addresses_ExpireOnTheInjectedClockAndLongerTtlsWin()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var store = new PeerStore(time);
        var short1 = Multiaddr.Parse("/ip4/10.0.0.1/tcp/1");
        var long1 = Multiaddr.Parse("/ip4/10.0.0.2/tcp/2");
        store.AddAddresses(Peer, [short1], TimeSpan.FromMinutes(1));
        store.AddAddresses(Peer, [long1.WithPeerId(Peer)], TimeSpan.FromMinutes(10));
        Assert.Equal(2, store.GetAddresses(Peer).Count);
        Assert.Contains(long1, store.GetAddresses(Peer)); // stored without the /p2p suffix
        store.AddAddresses(Peer, [long1], TimeSpan.FromSeconds(1)); // does not shorten
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal([long1], store.GetAddresses(Peer));
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Empty(store.GetAddresses(Peer));
        Assert.DoesNotContain(Peer, store.Peers);
    }

    [Fact]
    public void ProtocolsKeysLatencyAndAgent_AreRecorded()
    {
        var store = new PeerStore(new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        store.SetProtocols(Peer, ["/a/1", "/b/1", "/a/1"]);
        Assert.Equal(["/a/1", "/b/1"], store.GetProtocols(Peer));
        Assert.Equal(["/b/1"], store.SupportsProtocols(Peer, ["/c/1", "/b/1"]));
        Assert.Equal(PublicKey.FromPeerId(Peer), store.GetPublicKey(Peer));
        Assert.Throws<ArgumentException>(() => store.AddPublicKey(Peer, Ed25519PrivateKey.Generate().PublicKey));
        store.RecordLatency(Peer, TimeSpan.FromMilliseconds(100));
        store.RecordLatency(Peer, TimeSpan.FromMilliseconds(200));
        Assert.Equal(TimeSpan.FromMilliseconds(110), store.GetLatency(Peer));
        store.SetAgentVersion(Peer, "js-libp2p/3");
        Assert.Equal("js-libp2p/3", store.GetAgentVersion(Peer));
        store.RemovePeer(Peer);
        Assert.Empty(store.GetProtocols(Peer));
    }

    [Fact]
    public void DialBackoff_DoublesUpToTheMaximumAndClearsOnSuccess()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var backoff = new DialBackoff(time, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));
        Assert.False(backoff.IsBackedOff(Peer, out _));
        Assert.Equal(TimeSpan.FromSeconds(5), backoff.RecordFailure(Peer));
        Assert.True(backoff.IsBackedOff(Peer, out var remaining));
        Assert.Equal(TimeSpan.FromSeconds(5), remaining);
        Assert.Equal(TimeSpan.FromSeconds(10), backoff.RecordFailure(Peer));
        Assert.Equal(TimeSpan.FromSeconds(20), backoff.RecordFailure(Peer));
        Assert.Equal(TimeSpan.FromSeconds(30), backoff.RecordFailure(Peer));
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.False(backoff.IsBackedOff(Peer, out _));
        backoff.RecordFailure(Peer);
        backoff.RecordSuccess(Peer);
        Assert.False(backoff.IsBackedOff(Peer, out _));
    }
}
