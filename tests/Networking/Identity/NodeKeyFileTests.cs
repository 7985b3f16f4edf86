using P2P.Networking.Identity;

namespace P2P.Networking.Tests.Identity;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class NodeKeyFileTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    // libp2p peer-id spec test vectors (Ed25519 PrivateKey and its PublicKey, and the resulting peer id).
    private const string SpecPrivateKey = "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
    private const string SpecPublicKey = "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
    private const string SpecPeerId = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";

    private readonly string _directory = Directory.CreateTempSubdirectory("p2pd-nodekey-").FullName;

    private string KeyPath => Path.Combine(_directory, "node.key");

    [Fact]
    public void SpecVectorKeyFile_GivesThePublishedPublicKeyAndPeerId()
    {
        File.WriteAllBytes(KeyPath, Convert.FromHexString(SpecPrivateKey));
        var key = NodeKeyFile.Load(KeyPath);
        Assert.Equal(SpecPublicKey, Convert.ToHexStringLower(key.PublicKey.Marshal()));
        Assert.Equal(SpecPeerId, key.PeerId.ToString());
        Assert.Equal("0024" + SpecPublicKey, Convert.ToHexStringLower(key.PeerId.Bytes));
        Assert.Equal(SpecPrivateKey, Convert.ToHexStringLower(key.Marshal()));
    }

    [Fact]
    public void GeneratedKey_RoundTripsThroughA68ByteOwnerOnlyFile()
    {
        var key = Ed25519PrivateKey.Generate();
        NodeKeyFile.Save(KeyPath, key);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(KeyPath));
        Assert.Equal(68, new FileInfo(KeyPath).Length);
        var read = Assert.IsType<Ed25519PrivateKey>(NodeKeyFile.Load(KeyPath));
        Assert.Equal(key.PeerId, read.PeerId);
        Assert.True(key.Seed.SequenceEqual(read.Seed));
        Assert.StartsWith("12D3KooW", key.PeerId.ToString());
        Assert.NotEqual(key.PeerId, Ed25519PrivateKey.Generate().PeerId);
    }

    [Fact]
    public void Save_RefusesToReplaceAnExistingKeyUnlessOverwriting()
    {
        var first = Ed25519PrivateKey.Generate();
        NodeKeyFile.Save(KeyPath, first);
        Assert.Throws<IOException>(() => NodeKeyFile.Save(KeyPath, Ed25519PrivateKey.Generate()));
        Assert.Equal(first.PeerId, NodeKeyFile.Load(KeyPath).PeerId);

        var second = Ed25519PrivateKey.Generate();
        NodeKeyFile.Save(KeyPath, second, overwrite: true);
        Assert.Equal(second.PeerId, NodeKeyFile.Load(KeyPath).PeerId);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(KeyPath));
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public void OverwritingAWorldReadableFile_LeavesItOwnerOnly()
    {
        File.WriteAllBytes(KeyPath, [1, 2, 3]);
        File.SetUnixFileMode(KeyPath, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        NodeKeyFile.Save(KeyPath, Ed25519PrivateKey.Generate(), overwrite: true);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(KeyPath));
    }

    [Theory]
    [InlineData(67)] // truncated
    [InlineData(0)]
    public void TruncatedKeyFiles_AreRejected(int length)
    {
        File.WriteAllBytes(KeyPath, Convert.FromHexString(SpecPrivateKey)[..length]);
        Assert.Throws<FormatException>(() => NodeKeyFile.Load(KeyPath));
    }

    [Fact]
    public void WrongTypeOrMismatchedPublicHalf_IsRejected()
    {
        var rsa = Convert.FromHexString(SpecPrivateKey);
        rsa[1] = 0x00;
        File.WriteAllBytes(KeyPath, rsa);
        Assert.Throws<FormatException>(() => NodeKeyFile.Load(KeyPath));

        var mismatched = Convert.FromHexString(SpecPrivateKey);
        mismatched[^1] ^= 1;
        File.WriteAllBytes(KeyPath, mismatched);
        Assert.Throws<FormatException>(() => NodeKeyFile.Load(KeyPath));
    }

    [Fact]
    public void AHugeFile_IsRejectedByItsSizeBeforeItIsRead()
    {
        using (var stream = File.Create(KeyPath))
        {
            stream.SetLength(10 << 20);
        }
        var failure = Assert.Throws<FormatException>(() => NodeKeyFile.Load(KeyPath));
        Assert.Contains($"at most {NodeKeyFile.MaxFileLength}", failure.Message);
    }

    [Fact]
    public void AMissingFile_IsReportedByPath()
    {
        Assert.Contains(KeyPath, Assert.Throws<FileNotFoundException>(() => NodeKeyFile.Load(KeyPath)).Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
