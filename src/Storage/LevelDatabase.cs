using P2P.Storage.Native;

namespace P2P.Storage;

/// <summary>An open LevelDB database: point reads and writes on spans, atomic batches, iterators and snapshots.</summary>
/// <remarks>Thread-safe like LevelDB itself. Iterators and snapshots keep the native database alive until they are disposed.</remarks>
public sealed unsafe class LevelDatabase : IDisposable
{
    private readonly LevelDbHandle _database;
    private readonly OwnedNativeHandle _readOptions;
    private readonly OwnedNativeHandle _writeOptions;
    private readonly OwnedNativeHandle _syncWriteOptions;

    private LevelDatabase(string path, LevelDbHandle database, bool verifyChecksums)
    {
        Path = path;
        _database = database;
        VerifyChecksums = verifyChecksums;
        _readOptions = new OwnedNativeHandle(LevelDbNative.ReadOptionsCreate(), LevelDbNative.ReadOptionsDestroy);
        LevelDbNative.ReadOptionsSetVerifyChecksums(_readOptions.Pointer, verifyChecksums ? (byte)1 : (byte)0);
        _writeOptions = new OwnedNativeHandle(LevelDbNative.WriteOptionsCreate(), LevelDbNative.WriteOptionsDestroy);
        _syncWriteOptions = new OwnedNativeHandle(LevelDbNative.WriteOptionsCreate(), LevelDbNative.WriteOptionsDestroy);
        LevelDbNative.WriteOptionsSetSync(_syncWriteOptions.Pointer, 1);
    }

    /// <summary>The directory holding the database files.</summary>
    public string Path { get; }

    /// <summary>Whether reads verify block checksums (<see cref="LevelDbOptions.VerifyChecksums"/>).</summary>
    public bool VerifyChecksums { get; }

    /// <summary>The LevelDB library version, e.g. "1.23".</summary>
    public static string LibraryVersion
    {
        get
        {
            EnsureLibrary();
            return $"{LevelDbNative.MajorVersion()}.{LevelDbNative.MinorVersion()}";
        }
    }

    /// <summary>Opens (by default creating) the database in <paramref name="path"/>.</summary>
    /// <exception cref="DataDirectoryInUseException">another process or handle holds the directory's lock.</exception>
    /// <exception cref="LevelDbLibraryMissingException">libleveldb is not installed.</exception>
    public static LevelDatabase Open(string path, LevelDbOptions? options = null)
    {
        options ??= new LevelDbOptions();
        EnsureLibrary();
        var fullPath = System.IO.Path.GetFullPath(path);
        OwnedNativeHandle? cache = null, filter = null;
        var nativeOptions = LevelDbNative.OptionsCreate();
        try
        {
            LevelDbNative.OptionsSetCreateIfMissing(nativeOptions, options.CreateIfMissing ? (byte)1 : (byte)0);
            LevelDbNative.OptionsSetErrorIfExists(nativeOptions, options.ErrorIfExists ? (byte)1 : (byte)0);
            LevelDbNative.OptionsSetParanoidChecks(nativeOptions, options.ParanoidChecks ? (byte)1 : (byte)0);
            LevelDbNative.OptionsSetWriteBufferSize(nativeOptions, checked((nuint)options.WriteBufferBytes));
            LevelDbNative.OptionsSetMaxOpenFiles(nativeOptions, options.MaxOpenFiles);
            LevelDbNative.OptionsSetBlockSize(nativeOptions, checked((nuint)options.BlockSizeBytes));
            LevelDbNative.OptionsSetCompression(nativeOptions, options.Compression ? 1 : 0);
            if (options.BlockCacheBytes > 0)
            {
                cache = new OwnedNativeHandle(LevelDbNative.CacheCreateLru(checked((nuint)options.BlockCacheBytes)), LevelDbNative.CacheDestroy);
                LevelDbNative.OptionsSetCache(nativeOptions, cache.Pointer);
            }
            if (options.BloomFilterBitsPerKey > 0)
            {
                filter = new OwnedNativeHandle(LevelDbNative.FilterPolicyCreateBloom(options.BloomFilterBitsPerKey), LevelDbNative.FilterPolicyDestroy);
                LevelDbNative.OptionsSetFilterPolicy(nativeOptions, filter.Pointer);
            }

            nint error = 0;
            var db = LevelDbNative.Open(nativeOptions, fullPath, &error);
            LevelDbStatus.ThrowIfError(error, fullPath);
            return new LevelDatabase(fullPath, new LevelDbHandle(db, cache, filter), options.VerifyChecksums);
        }
        catch
        {
            cache?.Dispose();
            filter?.Dispose();
            throw;
        }
        finally
        {
            LevelDbNative.OptionsDestroy(nativeOptions);
        }
    }

    /// <summary>Loads libleveldb or throws <see cref="LevelDbLibraryMissingException"/>; every entry point calls it first.</summary>
    internal static void EnsureLibrary()
    {
        if (!LevelDbLibrary.TryEnsureLoaded(out var triedName))
            throw new LevelDbLibraryMissingException(triedName, LevelDbLibrary.InstallHint);
    }

    /// <summary>Deletes the database files in <paramref name="path"/>.</summary>
    public static void Destroy(string path)
    {
        EnsureLibrary();
        var nativeOptions = LevelDbNative.OptionsCreate();
        try
        {
            nint error = 0;
            LevelDbNative.DestroyDb(nativeOptions, System.IO.Path.GetFullPath(path), &error);
            LevelDbStatus.ThrowIfError(error);
        }
        finally
        {
            LevelDbNative.OptionsDestroy(nativeOptions);
        }
    }

    /// <summary>Returns a copy of the value stored under <paramref name="key"/>, or null when absent.</summary>
    public byte[]? Get(ReadOnlySpan<byte> key, LevelDbSnapshot? snapshot = null)
    {
        var options = snapshot is null ? _readOptions.Pointer : snapshot.ReadOptions;
        nint error = 0;
        nuint length = 0;
        byte* value;
        fixed (byte* k = key)
        {
            value = LevelDbNative.Get(_database, options, k, (nuint)key.Length, &length, &error);
        }
        GC.KeepAlive(snapshot);
        LevelDbStatus.ThrowIfError(error);
        if (value == null) return null;
        try
        {
            return new ReadOnlySpan<byte>(value, checked((int)length)).ToArray();
        }
        finally
        {
            LevelDbNative.Free(value);
        }
    }

    public bool ContainsKey(ReadOnlySpan<byte> key, LevelDbSnapshot? snapshot = null) => Get(key, snapshot) is not null;

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>; with <paramref name="sync"/> the write is fsync'd before returning.</summary>
    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool sync = false)
    {
        nint error = 0;
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            LevelDbNative.Put(_database, WriteOptions(sync), k, (nuint)key.Length, v, (nuint)value.Length, &error);
        }
        LevelDbStatus.ThrowIfError(error);
    }

    public void Delete(ReadOnlySpan<byte> key, bool sync = false)
    {
        nint error = 0;
        fixed (byte* k = key)
        {
            LevelDbNative.Delete(_database, WriteOptions(sync), k, (nuint)key.Length, &error);
        }
        LevelDbStatus.ThrowIfError(error);
    }

    /// <summary>Applies every operation in <paramref name="batch"/> atomically: after a crash either all or none are visible.</summary>
    public void Write(LevelDbWriteBatch batch, bool sync = false)
    {
        ArgumentNullException.ThrowIfNull(batch);
        nint error = 0;
        LevelDbNative.Write(_database, WriteOptions(sync), batch.Handle, &error);
        LevelDbStatus.ThrowIfError(error);
    }

    /// <summary>An unpositioned iterator over the database (or over <paramref name="snapshot"/>), in byte-wise key order.</summary>
    /// <param name="fillCache">False for bulk scans, so they do not evict the blocks that point reads need.</param>
    public LevelDbIterator CreateIterator(LevelDbSnapshot? snapshot = null, bool fillCache = true)
    {
        var handle = new IteratorHandle();
        var added = false;
        _database.DangerousAddRef(ref added);
        if (fillCache)
        {
            handle.Attach(_database, LevelDbNative.CreateIterator(_database, snapshot is null ? _readOptions.Pointer : snapshot.ReadOptions));
            return new LevelDbIterator(handle, snapshot);
        }
        // The iterator copies its read options, so these can go as soon as it exists.
        var options = LevelDbNative.ReadOptionsCreate();
        try
        {
            LevelDbNative.ReadOptionsSetFillCache(options, 0);
            LevelDbNative.ReadOptionsSetVerifyChecksums(options, VerifyChecksums ? (byte)1 : (byte)0);
            if (snapshot is not null) LevelDbNative.ReadOptionsSetSnapshot(options, snapshot.NativeSnapshot);
            handle.Attach(_database, LevelDbNative.CreateIterator(_database, options));
        }
        finally
        {
            LevelDbNative.ReadOptionsDestroy(options);
        }
        return new LevelDbIterator(handle, snapshot);
    }

    /// <summary>Every entry whose key starts with <paramref name="prefix"/>, in key order, as copies.</summary>
    public IEnumerable<KeyValuePair<byte[], byte[]>> ScanPrefix(byte[] prefix, LevelDbSnapshot? snapshot = null, bool fillCache = true)
    {
        using var iterator = CreateIterator(snapshot, fillCache);
        for (iterator.Seek(prefix); iterator.IsValid && iterator.Key.StartsWith(prefix); iterator.Next())
        {
            yield return new(iterator.Key.ToArray(), iterator.Value.ToArray());
        }
        iterator.ThrowIfError();
    }

    /// <summary>Every entry with <paramref name="start"/> ≤ key &lt; <paramref name="limit"/>, in key order, as copies.</summary>
    public IEnumerable<KeyValuePair<byte[], byte[]>> ScanRange(byte[] start, byte[] limit, LevelDbSnapshot? snapshot = null, bool fillCache = true)
    {
        using var iterator = CreateIterator(snapshot, fillCache);
        for (iterator.Seek(start); iterator.IsValid && iterator.Key.SequenceCompareTo(limit) < 0; iterator.Next())
        {
            yield return new(iterator.Key.ToArray(), iterator.Value.ToArray());
        }
        iterator.ThrowIfError();
    }

    /// <summary>A consistent read view of the database as of now; later writes are invisible through it.</summary>
    public LevelDbSnapshot CreateSnapshot()
    {
        var handle = new SnapshotHandle();
        var added = false;
        _database.DangerousAddRef(ref added);
        handle.Attach(_database, LevelDbNative.CreateSnapshot(_database));
        return new LevelDbSnapshot(handle, VerifyChecksums);
    }

    /// <summary>Compacts the key range [start, limit]; a null bound means the start or end of the key space.</summary>
    public void CompactRange(byte[]? start = null, byte[]? limit = null)
    {
        fixed (byte* s = start)
        fixed (byte* l = limit)
        {
            LevelDbNative.CompactRange(_database, s, (nuint)(start?.Length ?? 0), l, (nuint)(limit?.Length ?? 0));
        }
    }

    /// <summary>A LevelDB property such as <c>leveldb.stats</c>, <c>leveldb.sstables</c> or <c>leveldb.num-files-at-level0</c>; null when unknown.</summary>
    public string? GetProperty(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return LevelDbStatus.TakeString(LevelDbNative.PropertyValue(_database, name));
    }

    public void Dispose()
    {
        _readOptions.Dispose();
        _writeOptions.Dispose();
        _syncWriteOptions.Dispose();
        _database.Dispose();
    }

    public override string ToString() => $"LevelDB {Path}";

    private nint WriteOptions(bool sync) => sync ? _syncWriteOptions.Pointer : _writeOptions.Pointer;
}
