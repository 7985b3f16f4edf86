using P2P.Networking.Encoding;
using P2P.Networking.Identity;

namespace P2P.Networking.Tests.Identity;

public class PeerIdTests
{
    // Vector from the libp2p peer-ids spec (Ed25519 key, identity multihash).
    private const string SpecKeyHex = "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
    private const string SpecPeerId = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";

    [Fact]
    public void Ed25519Key_GivesSpecPeerId()
    {
        var id = PeerId.FromPublicKey(Convert.FromHexString(SpecKeyHex));
        Assert.Equal(SpecPeerId, id.ToString());
        Assert.Equal(Convert.FromHexString("0024" + SpecKeyHex), id.ToByteArray());
    }

    [Fact]
    public void Parse_RoundTripsAndComparesByValue()
    {
        var parsed = PeerId.Parse(SpecPeerId);
        Assert.Equal(PeerId.FromPublicKey(Convert.FromHexString(SpecKeyHex)), parsed);
        Assert.Equal(Convert.FromHexString(SpecKeyHex), parsed.TryGetInlinePublicKey());
    }

    [Fact]
    public void LongKeys_AreHashedWithSha256()
    {
        var id = PeerId.FromPublicKey(new byte[100]);
        Assert.Equal(0x12, id.Bytes[0]);
        Assert.Equal(34, id.Bytes.Length);
        Assert.StartsWith("Qm", id.ToString());
        Assert.Null(id.TryGetInlinePublicKey());
    }

    [Theory]
    [InlineData("0OIl")]
    [InlineData("12D3KooW")]
    [InlineData("")]
    public void MalformedText_IsRejected(string text)
    {
        Assert.False(PeerId.TryParse(text, out _));
    }

    [Fact]
    public void Base58_KeepsLeadingZeros()
    {
        var data = new byte[] { 0, 0, 1, 2, 255 };
        Assert.Equal(data, Base58.Decode(Base58.Encode(data)));
        Assert.Equal("11", Base58.Encode(new byte[2]));
    }
}
