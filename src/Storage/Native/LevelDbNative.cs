using System.Runtime.InteropServices;

namespace P2P.Storage.Native;

/// <summary>P/Invoke declarations for the LevelDB C API (<c>leveldb/c.h</c>) in the system <c>libleveldb.so.1d</c>.</summary>
/// <remarks>
/// Every <c>errptr</c> out-parameter receives a malloc'd string owned by us (freed with
/// <c>leveldb_free</c>, see <c>P2P.Storage.LevelDbStatus</c>); so do the results of <c>leveldb_get</c> and
/// <c>leveldb_property_value</c>. Iterator keys and values point into LevelDB memory and are not owned.
/// </remarks>
internal static unsafe partial class LevelDbNative
{
    internal const string Library = "leveldb";

    static LevelDbNative() => LevelDbLibrary.RegisterResolver();

    [LibraryImport(Library, EntryPoint = "leveldb_open", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint Open(nint options, string name, nint* errptr);

    [LibraryImport(Library, EntryPoint = "leveldb_close")]
    internal static partial void Close(nint db);

    [LibraryImport(Library, EntryPoint = "leveldb_put")]
    internal static partial void Put(LevelDbHandle db, nint options, byte* key, nuint keyLength, byte* value, nuint valueLength, nint* errptr);

    [LibraryImport(Library, EntryPoint = "leveldb_delete")]
    internal static partial void Delete(LevelDbHandle db, nint options, byte* key, nuint keyLength, nint* errptr);

    [LibraryImport(Library, EntryPoint = "leveldb_write")]
    internal static partial void Write(LevelDbHandle db, nint options, WriteBatchHandle batch, nint* errptr);

    [LibraryImport(Library, EntryPoint = "leveldb_get")]
    internal static partial byte* Get(LevelDbHandle db, nint options, byte* key, nuint keyLength, nuint* valueLength, nint* errptr);

    [LibraryImport(Library, EntryPoint = "leveldb_create_iterator")]
    internal static partial nint CreateIterator(LevelDbHandle db, nint options);

    [LibraryImport(Library, EntryPoint = "leveldb_create_snapshot")]
    internal static partial nint CreateSnapshot(LevelDbHandle db);

    [LibraryImport(Library, EntryPoint = "leveldb_release_snapshot")]
    internal static partial void ReleaseSnapshot(nint db, nint snapshot);

    [LibraryImport(Library, EntryPoint = "leveldb_property_value", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial byte* PropertyValue(LevelDbHandle db, string propertyName);

    [LibraryImport(Library, EntryPoint = "leveldb_compact_range")]
    internal static partial void CompactRange(LevelDbHandle db, byte* startKey, nuint startKeyLength, byte* limitKey, nuint limitKeyLength);

    [LibraryImport(Library, EntryPoint = "leveldb_destroy_db", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void DestroyDb(nint options, string name, nint* errptr);

    [LibraryImport(Library, EntryPoint = "leveldb_free")]
    internal static partial void Free(void* pointer);

    [LibraryImport(Library, EntryPoint = "leveldb_major_version")]
    internal static partial int MajorVersion();

    [LibraryImport(Library, EntryPoint = "leveldb_minor_version")]
    internal static partial int MinorVersion();

    // Options

    [LibraryImport(Library, EntryPoint = "leveldb_options_create")]
    internal static partial nint OptionsCreate();

    [LibraryImport(Library, EntryPoint = "leveldb_options_destroy")]
    internal static partial void OptionsDestroy(nint options);

    [LibraryImport(Library, EntryPoint = "leveldb_options_set_create_if_missing")]
    internal static partial void OptionsSetCreateIfMissing(nint options, byte value);

    [LibraryImport(Library, EntryPoint = "leveldb_options_set_error_if_exists")]
    internal static partial void OptionsSetErrorIfExists(nint options, byte value);

    [LibraryImport(Library, EntryPoint = "leveldb_options_set_paranoid_checks")]
    internal static partial void OptionsSetParanoidChecks(nint options, byte value);

    [LibraryImport(Library, EntryPoint = "leveldb_options_set_write_buffer_size")]
    internal static partial void OptionsSetWriteBufferSize(nint options, nuint size);

    [LibraryImport(Library, EntryPoint = "leveldb_options_set_max_open_files")]
    internal static partial void OptionsSetMaxOpenFiles(nint options, int count);

    [LibraryImport(Library, EntryPoint = "leveldb_options_set_block_size")]
    internal static partial void OptionsSetBlockSize(nint options, nuint size);

    [LibraryImport(Library, EntryPoint = "leveldb_options_set_compression")]
    internal static partial void OptionsSetCompression(nint options, int compression);

    [LibraryImport(Library, EntryPoint = "leveldb_options_set_cache")]
    internal static partial void OptionsSetCache(nint options, nint cache);

    [LibraryImport(Library, EntryPoint = "leveldb_options_set_filter_policy")]
    internal static partial void OptionsSetFilterPolicy(nint options, nint policy);

    [LibraryImport(Library, EntryPoint = "leveldb_cache_create_lru")]
    internal static partial nint CacheCreateLru(nuint capacity);

    [LibraryImport(Library, EntryPoint = "leveldb_cache_destroy")]
    internal static partial void CacheDestroy(nint cache);

    [LibraryImport(Library, EntryPoint = "leveldb_filterpolicy_create_bloom")]
    internal static partial nint FilterPolicyCreateBloom(int bitsPerKey);

    [LibraryImport(Library, EntryPoint = "leveldb_filterpolicy_destroy")]
    internal static partial void FilterPolicyDestroy(nint policy);

    [LibraryImport(Library, EntryPoint = "leveldb_readoptions_create")]
    internal static partial nint ReadOptionsCreate();

    [LibraryImport(Library, EntryPoint = "leveldb_readoptions_destroy")]
    internal static partial void ReadOptionsDestroy(nint options);

    [LibraryImport(Library, EntryPoint = "leveldb_readoptions_set_verify_checksums")]
    internal static partial void ReadOptionsSetVerifyChecksums(nint options, byte value);

    [LibraryImport(Library, EntryPoint = "leveldb_readoptions_set_fill_cache")]
    internal static partial void ReadOptionsSetFillCache(nint options, byte value);

    [LibraryImport(Library, EntryPoint = "leveldb_readoptions_set_snapshot")]
    internal static partial void ReadOptionsSetSnapshot(nint options, nint snapshot);

    [LibraryImport(Library, EntryPoint = "leveldb_writeoptions_create")]
    internal static partial nint WriteOptionsCreate();

    [LibraryImport(Library, EntryPoint = "leveldb_writeoptions_destroy")]
    internal static partial void WriteOptionsDestroy(nint options);

    [LibraryImport(Library, EntryPoint = "leveldb_writeoptions_set_sync")]
    internal static partial void WriteOptionsSetSync(nint options, byte value);

    // Write batches

    [LibraryImport(Library, EntryPoint = "leveldb_writebatch_create")]
    internal static partial nint WriteBatchCreate();

    [LibraryImport(Library, EntryPoint = "leveldb_writebatch_destroy")]
    internal static partial void WriteBatchDestroy(nint batch);

    [LibraryImport(Library, EntryPoint = "leveldb_writebatch_clear")]
    internal static partial void WriteBatchClear(WriteBatchHandle batch);

    [LibraryImport(Library, EntryPoint = "leveldb_writebatch_put")]
    internal static partial void WriteBatchPut(WriteBatchHandle batch, byte* key, nuint keyLength, byte* value, nuint valueLength);

    [LibraryImport(Library, EntryPoint = "leveldb_writebatch_delete")]
    internal static partial void WriteBatchDelete(WriteBatchHandle batch, byte* key, nuint keyLength);

    // Iterators

    [LibraryImport(Library, EntryPoint = "leveldb_iter_destroy")]
    internal static partial void IteratorDestroy(nint iterator);

    [LibraryImport(Library, EntryPoint = "leveldb_iter_valid")]
    internal static partial byte IteratorValid(IteratorHandle iterator);

    [LibraryImport(Library, EntryPoint = "leveldb_iter_seek_to_first")]
    internal static partial void IteratorSeekToFirst(IteratorHandle iterator);

    [LibraryImport(Library, EntryPoint = "leveldb_iter_seek_to_last")]
    internal static partial void IteratorSeekToLast(IteratorHandle iterator);

    [LibraryImport(Library, EntryPoint = "leveldb_iter_seek")]
    internal static partial void IteratorSeek(IteratorHandle iterator, byte* key, nuint keyLength);

    [LibraryImport(Library, EntryPoint = "leveldb_iter_next")]
    internal static partial void IteratorNext(IteratorHandle iterator);

    [LibraryImport(Library, EntryPoint = "leveldb_iter_prev")]
    internal static partial void IteratorPrev(IteratorHandle iterator);

    [LibraryImport(Library, EntryPoint = "leveldb_iter_key")]
    internal static partial byte* IteratorKey(IteratorHandle iterator, nuint* length);

    [LibraryImport(Library, EntryPoint = "leveldb_iter_value")]
    internal static partial byte* IteratorValue(IteratorHandle iterator, nuint* length);

    [LibraryImport(Library, EntryPoint = "leveldb_iter_get_error")]
    internal static partial void IteratorGetError(IteratorHandle iterator, nint* errptr);
}
