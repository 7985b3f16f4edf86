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
    public void Spec_vector_key_file_gives_the_published_public_key_and_peer_id()
    {
        File.WriteAllBytes(KeyPath, Convert.FromHexString(SpecPrivateKey));
        var key = NodeKeyFile.Load(KeyPath);
        Assert.Equal(SpecPublicKey, Convert.ToHexStringLower(key.PublicKey.Marshal()));
        Assert.Equal(SpecPeerId, key.PeerId.ToString());
        Assert.Equal("0024" + SpecPublicKey, Convert.ToHexStringLower(key.PeerId.Bytes));
        Assert.Equal(SpecPrivateKey, Convert.ToHexStringLower(key.Marshal()));
    }

    [Fact]
    public void Generated_key_round_trips_through_a_68_byte_owner_only_file()
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
    public void Save_refuses_to_replace_an_existing_key_unless_overwriting()
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
    public void Overwriting_a_world_readable_file_leaves_it_owner_only()
    {
        File.WriteAllBytes(KeyPath, [1, 2, 3]);
        File.SetUnixFileMode(KeyPath, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        NodeKeyFile.Save(KeyPath, Ed25519PrivateKey.Generate(), overwrite: true);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(KeyPath));
    }

    [Theory]
    [InlineData(67)] // truncated
    [InlineData(0)]
    public void Truncated_key_files_are_rejected(int length)
    {
        File.WriteAllBytes(KeyPath, Convert.FromHexString(SpecPrivateKey)[..length]);
        Assert.Throws<FormatException>(() => NodeKeyFile.Load(KeyPath));
    }

    [Fact]
    public void Wrong_type_or_mismatched_public_half_is_rejected()
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
    public void A_huge_file_is_rejected_by_its_size_before_it_is_read()
    {
        using (var stream = File.Create(KeyPath))
        {
            stream.SetLength(10 << 20);
        }
        var failure = Assert.Throws<FormatException>(() => NodeKeyFile.Load(KeyPath));
        Assert.Contains($"at most {NodeKeyFile.MaxFileLength}", failure.Message);
    }

    [Fact]
    public void A_missing_file_is_reported_by_path()
    {
        Assert.Contains(KeyPath, Assert.Throws<FileNotFoundException>(() => NodeKeyFile.Load(KeyPath)).Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
