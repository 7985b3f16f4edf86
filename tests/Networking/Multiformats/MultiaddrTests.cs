using P2P.Networking.Identity;
using P2P.Networking.Multiformats;

namespace P2P.Networking.Tests.Multiformats;

public sealed class MultiaddrTests
{
    [Theory]
    [InlineData("/ip4/127.0.0.1/tcp/4001", "047f000001060fa1")]
    [InlineData("/ip4/0.0.0.0/tcp/0", "04000000000600" + "00")]
    [InlineData("/ip6/::1/tcp/80", "2900000000000000000000000000000001060050")]
    [InlineData("/dns4/example.com/tcp/443", "360b6578616d706c652e636f6d0601bb")]
    [InlineData("/dns/localhost/tcp/1", "35096c6f63616c686f7374060001")]
    [InlineData("/dns6/a.b/tcp/2", "3703612e62060002")]
    [InlineData("/ip4/1.2.3.4/udp/53/quic-v1", "040102030491020035cd03")]
    [InlineData("/p2p/12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq",
        "a503260024080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e")]
    public void Multiaddr_MatchesGoldenVectors(string text, string hex)
    {
        var address = Multiaddr.Parse(text);
        Assert.Equal(hex, Convert.ToHexStringLower(address.ToBytes()));
        Assert.Equal(text, address.ToString());
        Assert.Equal(address, Multiaddr.FromBytes(Convert.FromHexString(hex)));
    }

    [Fact]
    public void PeerIdSuffix_IsSplitAndAdded()
    {
        var peer = PeerId.Parse("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");
        var full = Multiaddr.Parse("/ip4/10.0.0.1/tcp/4001/p2p/" + peer);
        Assert.Equal(peer, full.PeerId);
        Assert.Equal("/ip4/10.0.0.1/tcp/4001", full.WithoutPeerId().ToString());
        Assert.Equal(full, full.WithoutPeerId().WithPeerId(peer));
        Assert.Equal(full, Multiaddr.Parse("/ip4/10.0.0.1/tcp/4001/ipfs/" + peer));
        Assert.Equal(full, Multiaddr.Parse("/ip4/10.0.0.1/tcp/4001/p2p/" + peer.ToCidString()));
        Assert.Equal(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("10.0.0.1"), 4001), full.ToIPEndPoint());
    }

    [Theory]
    [InlineData("/udt/1234", "unknown multiaddr protocol 'udt'")]
    [InlineData("ip4/1.2.3.4", "must start with '/'")]
    [InlineData("/ip4/1.2.3", "invalid ip4")]
    [InlineData("/ip4/1.2.3.4/tcp/70000", "invalid tcp port")]
    [InlineData("/ip4/1.2.3.4/tcp", "lacks its value")]
    [InlineData("/ip6/1.2.3.4", "invalid ip6")]
    [InlineData("/p2p/notapeerid0", "")]
    public void MalformedText_IsRejectedWithAClearError(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => Multiaddr.Parse(text));
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("8f01", "unknown multiaddr protocol code 143")]
    [InlineData("047f00", "truncated")]
    [InlineData("3605616263", "truncated")]
    [InlineData("ffffffffffffffffffff", "varint")]
    [InlineData("a50303000000", "peer id")]
    public void MalformedBytes_AreRejected(string hex, string message)
    {
        var error = Assert.Throws<FormatException>(() => Multiaddr.FromBytes(Convert.FromHexString(hex)));
        Assert.Contains(message, error.Message);
    }
}
