namespace P2P.Networking.Identity;

/// <summary>The node key file written by <c>p2pd init</c>: exactly one marshalled libp2p PrivateKey protobuf, mode 0600.</summary>
public static class NodeKeyFile
{
    /// <summary>Far above an Ed25519 key's 68 bytes; a larger file is refused before it is read.</summary>
    public const int MaxFileLength = 4096;

    /// <exception cref="FileNotFoundException">there is no file at <paramref name="path"/>.</exception>
    /// <exception cref="FormatException">the file is not a supported marshalled private key.</exception>
    public static PrivateKey Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"node key file not found: {path}", path);
        }
        if (info.Length > MaxFileLength)
        {
            throw new FormatException($"node key file {path} is {info.Length} bytes; a marshalled PrivateKey is at most {MaxFileLength}");
        }
        return PrivateKey.Unmarshal(File.ReadAllBytes(path));
    }

    /// <summary>Writes the key atomically with mode 0600; refuses to replace an existing file unless <paramref name="overwrite"/>.</summary>
    /// <exception cref="IOException">the file exists and <paramref name="overwrite"/> is false.</exception>
    public static void Save(string path, PrivateKey key, bool overwrite = false) => SecretFile.Write(path, key.Marshal(), overwrite);
}
