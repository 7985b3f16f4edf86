using P2P.Daemon.Identity;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Identity;

public sealed class NodeKeyTests : IDisposable
{
    private readonly TempDirectory temp = new();

    // libp2p peer-id spec test vectors (Ed25519 PrivateKey and its PublicKey, and the resulting peer id).
    private const string SpecPrivateKey = "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
    private const string SpecPublicKey = "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
    private const string SpecPeerId = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";

    [Fact]
    public void SpecVector_PrivateKeyFile_GivesThePublishedPublicKeyAndPeerId()
    {
        var key = NodeKeyFile.Unmarshal(Convert.FromHexString(SpecPrivateKey));
        Assert.Equal(SpecPublicKey, Convert.ToHexStringLower(NodeKey.MarshalPublicKey(key.PublicKey)));
        Assert.Equal(SpecPeerId, key.PeerId);
        Assert.Equal(SpecPrivateKey, Convert.ToHexStringLower(NodeKeyFile.Marshal(key)));
    }

    [Fact]
    public void PeerIdBytes_AreTheIdentityMultihashOfThePublicKey()
    {
        var publicKey = Convert.FromHexString(SpecPublicKey)[4..];
        Assert.Equal("0024" + SpecPublicKey, Convert.ToHexStringLower(NodeKey.PeerIdBytes(publicKey)));
    }

    [Fact]
    public void GeneratedKey_RoundTripsThroughAnOwnerOnlyFile()
    {
        var key = NodeKey.Generate();
        var path = temp.Sub("node.key");
        NodeKeyFile.Write(path, key, overwrite: false);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(68, new FileInfo(path).Length);
        var read = NodeKeyFile.Read(path);
        Assert.Equal(key.PeerId, read.PeerId);
        Assert.True(key.Seed.SequenceEqual(read.Seed));
        Assert.StartsWith("12D3KooW", key.PeerId);
        Assert.NotEqual(key.PeerId, NodeKey.Generate().PeerId);
    }

    [Fact]
    public void Write_RefusesToReplaceAnExistingKey_UnlessOverwriting()
    {
        var path = temp.Sub("node.key");
        var first = NodeKey.Generate();
        NodeKeyFile.Write(path, first, overwrite: false);
        Assert.Throws<IOException>(() => NodeKeyFile.Write(path, NodeKey.Generate(), overwrite: false));
        Assert.Equal(first.PeerId, NodeKeyFile.Read(path).PeerId);

        var second = NodeKey.Generate();
        NodeKeyFile.Write(path, second, overwrite: true);
        Assert.Equal(second.PeerId, NodeKeyFile.Read(path).PeerId);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Unmarshal_RejectsWrongTypeLengthOrMismatchedPublicKey()
    {
        var good = Convert.FromHexString(SpecPrivateKey);
        Assert.Throws<InvalidDataException>(() => NodeKeyFile.Unmarshal(good[..67]));
        var rsa = (byte[])good.Clone();
        rsa[1] = 0x00;
        Assert.Throws<InvalidDataException>(() => NodeKeyFile.Unmarshal(rsa));
        var mismatched = (byte[])good.Clone();
        mismatched[^1] ^= 1;
        Assert.Throws<InvalidDataException>(() => NodeKeyFile.Unmarshal(mismatched));
    }

    [Fact]
    public void Read_RejectsAFileOfTheWrongSize_BeforeReadingIt()
    {
        var path = temp.Sub("node.key");
        File.WriteAllBytes(path, new byte[10 << 20]);
        Assert.Contains("a node key file is 68", Assert.Throws<InvalidDataException>(() => NodeKeyFile.Read(path)).Message);
    }

    public void Dispose() => temp.Dispose();
}
