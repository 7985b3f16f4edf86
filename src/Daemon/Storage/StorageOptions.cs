using P2P.Daemon.Configuration;
using P2P.Storage;

namespace P2P.Daemon.Storage;

/// <summary>The LevelDB database (section <c>Storage</c>).</summary>
public sealed class StorageOptions : IValidatableOptions
{
    // Defaults come from the storage library's options, so each is written once.
    private static readonly LevelDbOptions Library = new();

    /// <summary>Database directory; relative paths are under the data directory.</summary>
    public string Path { get; set; } = "db";

    public int CacheSizeMb { get; set; } = (int)(Library.BlockCacheBytes >> 20);

    public int BloomFilterBitsPerKey { get; set; } = Library.BloomFilterBitsPerKey;

    public int WriteBufferSizeMb { get; set; } = (int)(Library.WriteBufferBytes >> 20);

    public int MaxOpenFiles { get; set; } = Library.MaxOpenFiles;

    public bool Compression { get; set; } = Library.Compression;

    /// <summary>Verify checksums on every read and refuse to open a database with any corruption.</summary>
    public bool ParanoidChecks { get; set; }

    public IEnumerable<ConfigurationProblem> Validate(DataDirectory dataDirectory)
    {
        if (string.IsNullOrWhiteSpace(Path)) yield return new("Path", "must not be empty");
        if (CacheSizeMb is < 0 or > 1 << 20) yield return new("CacheSizeMb", $"{CacheSizeMb} is out of range (0-1048576)");
        if (BloomFilterBitsPerKey is < 0 or > 64) yield return new("BloomFilterBitsPerKey", $"{BloomFilterBitsPerKey} is out of range (0-64)");
        if (WriteBufferSizeMb is < 1 or > 4096) yield return new("WriteBufferSizeMb", $"{WriteBufferSizeMb} is out of range (1-4096)");
        if (MaxOpenFiles is < 64 or > 1 << 20) yield return new("MaxOpenFiles", $"{MaxOpenFiles} is out of range (64-1048576)");
    }

    public string ResolvePath(DataDirectory dataDirectory) => dataDirectory.Resolve(Path);

    public LevelDbOptions ToLevelDbOptions() => new()
    {
        BlockCacheBytes = (long)CacheSizeMb << 20,
        BloomFilterBitsPerKey = BloomFilterBitsPerKey,
        WriteBufferBytes = (long)WriteBufferSizeMb << 20,
        MaxOpenFiles = MaxOpenFiles,
        Compression = Compression,
        ParanoidChecks = ParanoidChecks,
        VerifyChecksums = ParanoidChecks,
    };
}
