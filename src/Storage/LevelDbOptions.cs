namespace P2P.Storage;

/// <summary>How a LevelDB database is opened and tuned.</summary>
public sealed record LevelDbOptions
{
    public bool CreateIfMissing { get; init; } = true;
    public bool ErrorIfExists { get; init; }
    /// <summary>Verify checksums aggressively and stop on the first corruption instead of skipping it.</summary>
    public bool ParanoidChecks { get; init; }
    /// <summary>Verify block checksums on every read (reads become slightly slower).</summary>
    public bool VerifyChecksums { get; init; }
    /// <summary>Size of the shared LRU block cache; 0 keeps LevelDB's built-in 8 MiB cache.</summary>
    public long BlockCacheBytes { get; init; } = 64L << 20;
    /// <summary>Bits per key of the bloom filter on table blocks; 0 disables the filter.</summary>
    public int BloomFilterBitsPerKey { get; init; } = 10;
    public long WriteBufferBytes { get; init; } = 4L << 20;
    public int MaxOpenFiles { get; init; } = 500;
    public int BlockSizeBytes { get; init; } = 4096;
    /// <summary>Snappy block compression (LevelDB's default); false stores blocks raw.</summary>
    public bool Compression { get; init; } = true;
}
