using P2P.Networking.Identity;

namespace P2P.Networking.Tests.Identity;

public sealed class KeyTests
{
    // RFC 8032 section 7.1, test 1.
    private const string Rfc8032Seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private const string Rfc8032Public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    private const string Rfc8032EmptySignature = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

    [Fact]
    public void Ed25519_MatchesRfc8032Vector()
    {
        var key = Ed25519PrivateKey.FromSeed(Convert.FromHexString(Rfc8032Seed));
        Assert.Equal(Rfc8032Public, Convert.ToHexStringLower(key.PublicKey.Raw));
        var signature = key.Sign([]);
        Assert.Equal(Rfc8032EmptySignature, Convert.ToHexStringLower(signature));
        Assert.True(key.PublicKey.Verify([], signature));
        signature[0] ^= 1;
        Assert.False(key.PublicKey.Verify([], signature));
        Assert.False(key.PublicKey.Verify([], signature.AsSpan(0, 63)));
    }

    [Fact]
    public void PrivateKeyProtobuf_IsTypeAnd64BytesSeedThenPublic()
    {
        var key = Ed25519PrivateKey.FromSeed(Convert.FromHexString(Rfc8032Seed));
        var marshalled = key.Marshal();
        Assert.Equal("08011240" + Rfc8032Seed + Rfc8032Public, Convert.ToHexStringLower(marshalled));
        var back = Assert.IsType<Ed25519PrivateKey>(PrivateKey.Unmarshal(marshalled));
        Assert.Equal(key.PeerId, back.PeerId);
    }

    [Fact]
    public void PublicKeyProtobuf_RoundTripsAndGivesThePeerId()
    {
        var key = Ed25519PrivateKey.FromSeed(Convert.FromHexString(Rfc8032Seed)).PublicKey;
        var marshalled = key.Marshal();
        Assert.Equal("08011220" + Rfc8032Public, Convert.ToHexStringLower(marshalled));
        Assert.Equal(key, PublicKey.Unmarshal(marshalled));
        Assert.Equal(key, PublicKey.FromPeerId(key.ToPeerId()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0801")]
    [InlineData("080012020102")] // RSA
    [InlineData("0801120401020304")] // short Ed25519 key
    [InlineData("ffffffff")]
    public void MalformedPublicKeys_AreRejected(string hex)
    {
        Assert.Throws<FormatException>(() => PublicKey.Unmarshal(Convert.FromHexString(hex)));
    }

    [Fact]
    public void PrivateKeyWhosePublicHalfMismatches_IsRejected()
    {
        var bytes = Ed25519PrivateKey.FromSeed(Convert.FromHexString(Rfc8032Seed)).Marshal();
        bytes[^1] ^= 1;
        Assert.Throws<FormatException>(() => PrivateKey.Unmarshal(bytes));
    }

    [Fact]
    public void NodeKeyFile_RoundTripsWithOwnerOnlyMode()
    {
        var path = Path.Combine(Path.GetTempPath(), $"p2pd-key-{Guid.NewGuid():N}");
        try
        {
            var key = Ed25519PrivateKey.Generate(new Random(7));
            NodeKeyFile.Save(path, key);
            Assert.Equal(key.PeerId, NodeKeyFile.Load(path).PeerId);
            Assert.Equal(key.Marshal(), File.ReadAllBytes(path));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
            File.WriteAllBytes(path, [1, 2, 3]);
            Assert.Throws<FormatException>(() => NodeKeyFile.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CidTextForm_ParsesToTheSamePeerId()
    {
        // peer-ids spec example: the same SHA-256 peer id as base58 and as a CIDv1 libp2p-key in base32.
        var fromCid = PeerId.Parse("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
        Assert.Equal(PeerId.Parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N"), fromCid);
        Assert.Equal("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe", fromCid.ToCidString());
        var ed = PeerId.Parse("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");
        Assert.Equal(ed, PeerId.Parse(ed.ToCidString()));
        Assert.Throws<FormatException>(() => PeerId.Parse("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi")); // dag-pb CID
    }
}
