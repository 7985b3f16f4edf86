using System.Text;
using P2P.Storage;
using P2P.Testing;

namespace P2P.Storage.Tests;

public sealed class LevelDatabaseTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private LevelDatabase OpenDb(string name = "db", LevelDbOptions? options = null) => LevelDatabase.Open(_temp.Sub(name), options);

    [Fact]
    public void PutGetDelete_RoundTripsAndMissingKeysReadAsNull()
    {
        using var db = OpenDb();
        db.Put(B("alpha"), B("1"));
        db.Put(B("beta"), [], sync: true);

        Assert.Equal(B("1"), db.Get(B("alpha")));
        Assert.Equal(Array.Empty<byte>(), db.Get(B("beta")));
        Assert.Null(db.Get(B("gamma")));

        db.Put(B("alpha"), B("2"));
        Assert.Equal(B("2"), db.Get(B("alpha")));

        db.Delete(B("alpha"));
        Assert.Null(db.Get(B("alpha")));
        Assert.False(db.ContainsKey(B("alpha")));
        Assert.True(db.ContainsKey(B("beta")));
    }

    [Fact]
    public void BinaryKeysAndLargeValues_AreStoredExactly()
    {
        using var db = OpenDb();
        var key = new byte[] { 0, 0xFF, 0, 1 };
        var value = new byte[1 << 20];
        new Random(7).NextBytes(value);
        db.Put(key, value);
        Assert.Equal(value, db.Get(key));
        Assert.Null(db.Get(new byte[] { 0, 0xFF, 0 }));
    }

    [Fact]
    public void WriteBatch_AppliesPutsAndDeletesInOrder()
    {
        using var db = OpenDb();
        db.Put(B("old"), B("x"));
        using var batch = new LevelDbWriteBatch();
        batch.Put(B("a"), B("1")).Put(B("b"), B("2")).Delete(B("old")).Put(B("a"), B("3")).Delete(B("b"));
        Assert.Equal(5, batch.Count);

        Assert.Null(db.Get(B("a")));
        db.Write(batch, sync: true);

        Assert.Equal(B("3"), db.Get(B("a")));
        Assert.Null(db.Get(B("b")));
        Assert.Null(db.Get(B("old")));

        batch.Clear();
        Assert.Equal(0, batch.Count);
        db.Write(batch);
        Assert.Equal(B("3"), db.Get(B("a")));
    }

    [Fact]
    public async Task WriteBatch_IsNeverSeenHalfApplied_ByConcurrentSnapshots()
    {
        using var db = OpenDb();
        const int rounds = 300;
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < rounds; i++)
            {
                using var batch = new LevelDbWriteBatch();
                var value = BitConverter.GetBytes(i);
                for (var k = 0; k < 16; k++) batch.Put(B($"k{k:00}"), value);
                db.Write(batch);
            }
        });

        var observed = 0;
        while (!writer.IsCompleted || observed == 0)
        {
            using var snapshot = db.CreateSnapshot();
            var values = db.ScanPrefix(B("k"), snapshot).Select(e => e.Value).ToList();
            if (values.Count == 0) continue;
            Assert.Equal(16, values.Count);
            Assert.All(values, v => Assert.Equal(values[0], v));
            observed++;
        }
        await writer;
        Assert.Equal(BitConverter.GetBytes(rounds - 1), db.Get(B("k15")));
    }

    [Fact]
    public void Iterator_VisitsKeysInBytewiseOrder_BothDirections_AndSeeks()
    {
        using var db = OpenDb();
        var random = new Random(42);
        var keys = Enumerable.Range(0, 200).Select(_ => { var k = new byte[random.Next(1, 6)]; random.NextBytes(k); return k; })
            .DistinctBy(Convert.ToHexString).ToList();
        foreach (var key in keys) db.Put(key, key);
        var sorted = keys.OrderBy(k => k, ByteComparer.Instance).ToList();

        using var iterator = db.CreateIterator();
        var forward = new List<byte[]>();
        for (iterator.SeekToFirst(); iterator.IsValid; iterator.Next())
        {
            Assert.True(iterator.Key.SequenceEqual(iterator.Value));
            forward.Add(iterator.Key.ToArray());
        }
        iterator.ThrowIfError();
        Assert.Equal(sorted, forward);

        var backward = new List<byte[]>();
        for (iterator.SeekToLast(); iterator.IsValid; iterator.Prev()) backward.Add(iterator.Key.ToArray());
        sorted.Reverse();
        Assert.Equal(sorted, backward);

        var target = new byte[] { 0x80 };
        iterator.Seek(target);
        var expected = keys.Where(k => ByteComparer.Instance.Compare(k, target) >= 0).Min(ByteComparer.Instance);
        Assert.Equal(expected, iterator.Key.ToArray());

        iterator.Seek([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
        Assert.False(iterator.IsValid);
        Assert.Throws<InvalidOperationException>(() => iterator.Key.ToArray());
    }

    [Fact]
    public void ScanPrefix_ReturnsOnlyThatPrefix_InOrder()
    {
        using var db = OpenDb();
        foreach (var k in new[] { "a", "b/2", "b/10", "b/1", "b", "ba", "c/1", "b/" }) db.Put(B(k), B(k.ToUpperInvariant()));
        db.Put([0xFF, 1], [1]);
        db.Put([0xFF], [0]);

        var scanned = db.ScanPrefix(B("b/")).Select(e => Encoding.UTF8.GetString(e.Key)).ToList();
        Assert.Equal(["b/", "b/1", "b/10", "b/2"], scanned);
        Assert.Equal(B("B/10"), db.ScanPrefix(B("b/1")).Last().Value);
        Assert.Empty(db.ScanPrefix(B("z")));
        Assert.Equal(2, db.ScanPrefix([0xFF]).Count());

        var range = db.ScanRange(B("b"), B("b/2")).Select(e => Encoding.UTF8.GetString(e.Key)).ToList();
        Assert.Equal(["b", "b/", "b/1", "b/10"], range);
    }

    [Fact]
    public void Snapshot_IsolatesLaterWrites()
    {
        using var db = OpenDb();
        db.Put(B("x"), B("before"));
        db.Put(B("gone"), B("still here"));
        using var snapshot = db.CreateSnapshot();

        db.Put(B("x"), B("after"));
        db.Put(B("new"), B("1"));
        db.Delete(B("gone"));

        Assert.Equal(B("before"), db.Get(B("x"), snapshot));
        Assert.Null(db.Get(B("new"), snapshot));
        Assert.Equal(B("still here"), db.Get(B("gone"), snapshot));
        Assert.Equal(["gone", "x"], db.ScanPrefix([], snapshot).Select(e => Encoding.UTF8.GetString(e.Key)));

        Assert.Equal(B("after"), db.Get(B("x")));
        Assert.Equal(["new", "x"], db.ScanPrefix([]).Select(e => Encoding.UTF8.GetString(e.Key)));
    }

    [Fact]
    public void Reopen_KeepsData()
    {
        using (var db = OpenDb())
        {
            for (var i = 0; i < 1000; i++) db.Put(B($"key{i:0000}"), B($"value{i}"));
            db.Delete(B("key0500"));
        }
        using (var db = OpenDb(options: new LevelDbOptions { CreateIfMissing = false }))
        {
            Assert.Equal(B("value999"), db.Get(B("key0999")));
            Assert.Null(db.Get(B("key0500")));
            Assert.Equal(999, db.ScanPrefix(B("key")).Count());
        }
    }

    [Fact]
    public void SecondOpenOfSameDirectory_FailsWithInUseMessage()
    {
        using var db = OpenDb();
        var error = Assert.Throws<DataDirectoryInUseException>(() => OpenDb());
        Assert.Equal($"data directory {db.Path} is in use by another p2pd process", error.Message);
        Assert.Equal(db.Path, error.Path);
        Assert.Contains("LOCK", error.InnerException!.Message);
    }

    [Fact]
    public void DisposingDatabase_WhileIteratorIsOpen_DefersCloseUntilIteratorIsDisposed()
    {
        var db = OpenDb();
        db.Put(B("a"), B("1"));
        db.Put(B("b"), B("2"));
        var iterator = db.CreateIterator();
        db.Dispose();

        iterator.SeekToFirst();
        Assert.Equal(B("a"), iterator.Key.ToArray());
        Assert.Throws<DataDirectoryInUseException>(() => OpenDb());

        iterator.Dispose();
        using var reopened = OpenDb();
        Assert.Equal(B("2"), reopened.Get(B("b")));
    }

    [Fact]
    public void CacheBloomAndCompaction_Work_AndPropertiesAreReadable()
    {
        using var db = OpenDb(options: new LevelDbOptions { BlockCacheBytes = 1 << 20, BloomFilterBitsPerKey = 10, WriteBufferBytes = 64 << 10, Compression = false });
        var value = new byte[256];
        for (var i = 0; i < 2000; i++) db.Put(B($"k{i:00000}"), value);
        for (var i = 0; i < 2000; i += 2) db.Delete(B($"k{i:00000}"));

        db.CompactRange();
        db.CompactRange(B("k00000"), B("k00100"));

        Assert.Contains("Compactions", db.GetProperty("leveldb.stats"));
        Assert.Equal("0", db.GetProperty("leveldb.num-files-at-level0"));
        Assert.Matches(@"(?m)^ \d+:\d+\[", db.GetProperty("leveldb.sstables") ?? "");
        Assert.Null(db.GetProperty("leveldb.no-such-property"));
        Assert.Null(db.Get(B("k00000")));
        Assert.Equal(value, db.Get(B("k00001")));
        Assert.Equal(1000, db.ScanPrefix(B("k")).Count());
        Assert.Matches(@"^\d+\.\d+$", LevelDatabase.LibraryVersion);
    }

    [Fact]
    public void OpeningMissingDatabase_WithoutCreate_ThrowsInvalidArgument()
    {
        var error = Assert.Throws<LevelDbInvalidArgumentException>(() => OpenDb("absent", new LevelDbOptions { CreateIfMissing = false }));
        Assert.Equal(LevelDbErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void OpeningExistingDatabase_WithErrorIfExists_ThrowsInvalidArgument()
    {
        OpenDb().Dispose();
        Assert.Throws<LevelDbInvalidArgumentException>(() => OpenDb(options: new LevelDbOptions { ErrorIfExists = true }));
    }

    [Fact]
    public void CorruptCurrentFile_ThrowsCorruption()
    {
        OpenDb().Dispose();
        File.WriteAllText(Path.Combine(_temp.Sub("db"), "CURRENT"), "garbage-without-newline");
        var error = Assert.Throws<LevelDbCorruptionException>(() => OpenDb());
        Assert.Equal(LevelDbErrorKind.Corruption, error.Kind);
    }

    [Fact]
    public void CorruptTableBlock_IsReportedAsCorruption_WhenChecksumsAreVerified()
    {
        var value = new byte[100];
        using (var db = OpenDb(options: new LevelDbOptions { Compression = false }))
        {
            for (var i = 0; i < 1000; i++) db.Put(B($"k{i:0000}"), value);
            db.CompactRange();
        }
        var table = Directory.GetFiles(_temp.Sub("db"), "*.ldb").Single();
        var bytes = File.ReadAllBytes(table);
        for (var i = 1000; i < 1100; i++) bytes[i] ^= 0xFF;
        File.WriteAllBytes(table, bytes);

        using var reopened = OpenDb(options: new LevelDbOptions { VerifyChecksums = true, BlockCacheBytes = 0 });
        Assert.True(reopened.VerifyChecksums);
        Assert.Throws<LevelDbCorruptionException>(() => Enumerable.Range(0, 1000).Select(i => reopened.Get(B($"k{i:0000}"))).ToList());
        Assert.Throws<LevelDbCorruptionException>(() => reopened.ScanPrefix(B("k"), fillCache: false).ToList());
    }

    [Fact]
    public void IteratorsWithoutCacheFill_SeeTheSameDataAndRespectSnapshots()
    {
        using var db = OpenDb();
        db.Put(B("a"), B("1"));
        using var snapshot = db.CreateSnapshot();
        db.Put(B("b"), B("2"));
        Assert.Equal(["a", "b"], db.ScanPrefix([], fillCache: false).Select(e => Encoding.UTF8.GetString(e.Key)));
        Assert.Equal(["a"], db.ScanPrefix([], snapshot, fillCache: false).Select(e => Encoding.UTF8.GetString(e.Key)));
    }

    [Fact]
    public void Destroy_RemovesTheDatabase()
    {
        using (var db = OpenDb()) db.Put(B("a"), B("1"));
        LevelDatabase.Destroy(_temp.Sub("db"));
        Assert.Throws<LevelDbInvalidArgumentException>(() => OpenDb(options: new LevelDbOptions { CreateIfMissing = false }));
    }

    [Theory]
    [InlineData("NotFound: x", typeof(LevelDbNotFoundException), LevelDbErrorKind.NotFound)]
    [InlineData("Corruption: bad block", typeof(LevelDbCorruptionException), LevelDbErrorKind.Corruption)]
    [InlineData("Not implemented: y", typeof(LevelDbNotSupportedException), LevelDbErrorKind.NotSupported)]
    [InlineData("Invalid argument: z", typeof(LevelDbInvalidArgumentException), LevelDbErrorKind.InvalidArgument)]
    [InlineData("IO error: disk full", typeof(LevelDbIOException), LevelDbErrorKind.IOError)]
    [InlineData("IO error: lock /d/LOCK: Resource temporarily unavailable", typeof(DataDirectoryInUseException), LevelDbErrorKind.IOError)]
    [InlineData("something else", typeof(LevelDbException), LevelDbErrorKind.Unknown)]
    public void StatusStrings_MapToTypedExceptions(string status, Type type, LevelDbErrorKind kind)
    {
        var error = LevelDbException.FromStatus(status, "/d");
        Assert.IsType(type, error);
        Assert.Equal(kind, error.Kind);
    }

    public void Dispose() => _temp.Dispose();
}
