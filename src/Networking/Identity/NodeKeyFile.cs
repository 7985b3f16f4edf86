namespace P2P.Networking.Identity;

/// <summary>The node key file written by <c>p2pd init</c>: exactly one marshalled libp2p PrivateKey protobuf.</summary>
public static class NodeKeyFile
{
    private const int MaxFileLength = 4096;

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
            throw new FormatException($"node key file {path} is {info.Length} bytes; expected a marshalled PrivateKey");
        }
        return PrivateKey.Unmarshal(File.ReadAllBytes(path));
    }

    /// <summary>Writes the key with mode 0600 (owner read/write) where the OS supports it.</summary>
    public static void Save(string path, PrivateKey key)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var stream = new FileStream(path, options);
        stream.Write(key.Marshal());
    }
}
