namespace P2P.Storage;

/// <summary>Another process (or another open handle) holds the LevelDB lock on this directory.</summary>
public sealed class DataDirectoryInUseException(string path, Exception? inner = null)
    : LevelDbException(LevelDbErrorKind.IOError, $"data directory {path} is in use by another p2pd process", inner)
{
    public string Path { get; } = path;
}
