using System.Net;
using Microsoft.Extensions.Time.Testing;
using P2P.Networking.Host;
using P2P.Networking.Host.Admission;
using P2P.Networking.Identity;
using P2P.Networking.Multiformats;

namespace P2P.Networking.Tests.Host.Admission;

public sealed class HandshakeAdmissionTests
{
    private static readonly AdmissionLimits Small = new() { MaxPendingPerAddress = 2, MaxPendingPerSubnet = 3, MaxPending = 10, OutboundReserve = 2, KnownPeerReserve = 2 };

    private static HandshakeSlot Admit(HandshakeAdmission admission, string address)
    {
        Assert.Equal(AdmissionRefusal.None, admission.TryAdmitInbound(IPAddress.Parse(address), out var slot));
        return slot!;
    }

    [Fact]
    public void OneAddress_GetsAtMostItsLimitAndAReleasedSlotIsReused()
    {
        var admission = new HandshakeAdmission(Small, _ => false);
        var first = Admit(admission, "203.0.113.7");
        Admit(admission, "203.0.113.7");
        Assert.Equal(AdmissionRefusal.AddressLimit, admission.TryAdmitInbound(IPAddress.Parse("203.0.113.7"), out var refused));
        Assert.Null(refused);
        first.Dispose();
        first.Dispose(); // a second dispose must not free a second slot
        Admit(admission, "203.0.113.7");
        Assert.Equal(AdmissionRefusal.AddressLimit, admission.TryAdmitInbound(IPAddress.Parse("203.0.113.7"), out _));
        Assert.Equal(2, admission.PendingInbound);
    }

    [Fact]
    public void OneSlash24_IsLimitedAsAWholeButTheNextNetworkIsNot()
    {
        var admission = new HandshakeAdmission(Small, _ => false);
        Admit(admission, "198.51.100.1");
        Admit(admission, "198.51.100.2");
        Admit(admission, "198.51.100.3");
        Assert.Equal(AdmissionRefusal.SubnetLimit, admission.TryAdmitInbound(IPAddress.Parse("198.51.100.4"), out _));
        Admit(admission, "198.51.101.4");
    }

    [Fact]
    public void Ipv6_IsGroupedBySlash64AndMappedIpv4CountsAsIpv4()
    {
        var admission = new HandshakeAdmission(Small, _ => false);
        Admit(admission, "2001:db8:1:2::1");
        Admit(admission, "2001:db8:1:2:ffff::1");
        Admit(admission, "2001:db8:1:2::3");
        Assert.Equal(AdmissionRefusal.SubnetLimit, admission.TryAdmitInbound(IPAddress.Parse("2001:db8:1:2::4"), out _));
        Admit(admission, "2001:db8:1:3::1");

        Admit(admission, "192.0.2.9");
        Admit(admission, "::ffff:192.0.2.9");
        Assert.Equal(AdmissionRefusal.AddressLimit, admission.TryAdmitInbound(IPAddress.Parse("192.0.2.9"), out _));
        Assert.Equal("2001:db8:1:2::/64", SubnetKey.Of(IPAddress.Parse("2001:db8:1:2::4")).ToString());
        Assert.Equal("192.0.2.0/24", SubnetKey.Of(IPAddress.Parse("::ffff:192.0.2.9")).ToString());
    }

    [Fact]
    public void Strangers_LeaveTheKnownPeerAndOutboundReservesFree()
    {
        var known = IPAddress.Parse("10.9.0.1");
        var admission = new HandshakeAdmission(Small, address => address.Equals(known));
        // 10 slots: 6 for strangers, 2 more for known peers, the last 2 for our dials.
        for (var i = 0; i < 6; i++) Admit(admission, $"10.{i}.0.1");
        Assert.Equal(AdmissionRefusal.GlobalLimit, admission.TryAdmitInbound(IPAddress.Parse("10.6.0.1"), out _));
        Admit(admission, "10.9.0.1");
        Admit(admission, "10.9.0.1");
        Assert.Equal(AdmissionRefusal.AddressLimit, admission.TryAdmitInbound(known, out _));
        Assert.Equal(AdmissionRefusal.None, admission.TryAdmitOutbound(out var dial1));
        Assert.Equal(AdmissionRefusal.None, admission.TryAdmitOutbound(out _));
        Assert.Equal(AdmissionRefusal.GlobalLimit, admission.TryAdmitOutbound(out _));
        dial1!.Dispose();
        Assert.Equal(1, admission.PendingOutbound);
        Assert.Equal(AdmissionRefusal.GlobalLimit, admission.TryAdmitInbound(IPAddress.Parse("10.7.0.1"), out _));
    }

    [Fact]
    public void Refusals_AreDescribedWithTheLimitAndTheAddressOrNetwork()
    {
        var admission = new HandshakeAdmission(new AdmissionLimits(), _ => false);
        var remote = IPAddress.Parse("203.0.113.7");
        Assert.Equal("limit: 8 handshakes from 203.0.113.7 already in progress", admission.Describe(AdmissionRefusal.AddressLimit, remote));
        Assert.Equal("limit: 32 handshakes from 203.0.113.0/24 already in progress", admission.Describe(AdmissionRefusal.SubnetLimit, remote));
        Assert.Equal("limit: 256 handshakes already in progress (reserves included)", admission.Describe(AdmissionRefusal.GlobalLimit, remote));
    }

    [Fact]
    public void KnownPeerAddresses_ComeFromThePeerStoreAndAreRefreshedOnTheClock()
    {
        var time = new FakeTimeProvider();
        var store = new PeerStore(time);
        var known = new KnownPeerAddresses(store, time, TimeSpan.FromSeconds(1));
        var peer = Ed25519PrivateKey.Generate().PeerId;
        store.AddAddresses(peer, [Multiaddr.Parse("/ip4/198.51.100.9/tcp/4001")], TimeSpan.FromHours(1));
        Assert.True(known.Contains(IPAddress.Parse("198.51.100.9")));
        Assert.True(known.Contains(IPAddress.Parse("::ffff:198.51.100.9")));
        Assert.False(known.Contains(IPAddress.Parse("198.51.100.10")));

        var other = Ed25519PrivateKey.Generate().PeerId;
        store.AddAddresses(other, [Multiaddr.Parse("/ip6/2001:db8::7/tcp/4001")], TimeSpan.FromHours(1));
        Assert.False(known.Contains(IPAddress.Parse("2001:db8::7")));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(known.Contains(IPAddress.Parse("2001:db8::7")));
    }

    [Fact]
    public void InconsistentLimits_AreReported()
    {
        Assert.Empty(new AdmissionLimits().Problems());
        var problems = new AdmissionLimits { MaxPending = 10, OutboundReserve = 5, KnownPeerReserve = 5, MaxPendingPerAddress = 4, MaxPendingPerSubnet = 2 }.Problems().ToList();
        Assert.Contains(problems, p => p.Setting == nameof(AdmissionLimits.MaxPendingPerSubnet));
        Assert.Contains(problems, p => p.Setting == nameof(AdmissionLimits.OutboundReserve) && p.Problem.Contains("no slot", StringComparison.Ordinal));
    }
}
