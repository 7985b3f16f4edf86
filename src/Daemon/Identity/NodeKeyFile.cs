namespace P2P.Daemon.Identity;

/// <summary>
/// Reads and writes the node key file: a libp2p protobuf <c>PrivateKey { Type = Ed25519 (1); Data = seed ‖ public key }</c>
/// (68 bytes, the go/js libp2p encoding), mode 0600.
/// </summary>
public static class NodeKeyFile
{
    private static readonly byte[] Header = [0x08, 0x01, 0x12, 0x40];
    private const int FileLength = 4 + NodeKey.SeedLength + NodeKey.PublicKeyLength;

    public static byte[] Marshal(NodeKey key) => [.. Header, .. key.Seed, .. key.PublicKey];

    /// <summary>Parses a marshalled Ed25519 PrivateKey and checks that its public half matches its seed.</summary>
    public static NodeKey Unmarshal(ReadOnlySpan<byte> data)
    {
        if (data.Length != FileLength || !data[..Header.Length].SequenceEqual(Header))
            throw new InvalidDataException($"not a libp2p Ed25519 private key ({data.Length} bytes; expected {FileLength} starting 08 01 12 40)");
        var key = NodeKey.FromSeed(data.Slice(Header.Length, NodeKey.SeedLength));
        if (!data[(Header.Length + NodeKey.SeedLength)..].SequenceEqual(key.PublicKey))
            throw new InvalidDataException("the public key in the key file does not match its private key");
        return key;
    }

    public static NodeKey Read(string path)
    {
        var length = new FileInfo(path).Length;
        if (length != FileLength) throw new InvalidDataException($"{path} is {length} bytes; a node key file is {FileLength}");
        return Unmarshal(File.ReadAllBytes(path));
    }

    /// <summary>Writes <paramref name="key"/> with mode 0600; refuses to replace an existing file unless <paramref name="overwrite"/>.</summary>
    /// <exception cref="IOException">the file exists and <paramref name="overwrite"/> is false.</exception>
    public static void Write(string path, NodeKey key, bool overwrite) => SecretFile.Write(path, Marshal(key), overwrite);
}
