using P2P.Storage.Native;

namespace P2P.Storage;

/// <summary>A point-in-time read view; pass it to reads and iterators of the database that created it.</summary>
public sealed class LevelDbSnapshot : IDisposable
{
    private readonly SnapshotHandle _handle;
    private readonly OwnedNativeHandle _readOptions;

    internal LevelDbSnapshot(SnapshotHandle handle, bool verifyChecksums)
    {
        _handle = handle;
        _readOptions = new OwnedNativeHandle(LevelDbNative.ReadOptionsCreate(), LevelDbNative.ReadOptionsDestroy);
        LevelDbNative.ReadOptionsSetSnapshot(_readOptions.Pointer, _handle.DangerousGetHandle());
        LevelDbNative.ReadOptionsSetVerifyChecksums(_readOptions.Pointer, verifyChecksums ? (byte)1 : (byte)0);
    }

    /// <summary>The raw <c>leveldb_snapshot_t*</c>, for building other read options.</summary>
    internal nint NativeSnapshot
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle.DangerousGetHandle();
        }
    }

    /// <summary>Read options bound to this snapshot.</summary>
    internal nint ReadOptions
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _readOptions.Pointer;
        }
    }

    public void Dispose()
    {
        _readOptions.Dispose();
        _handle.Dispose();
    }
}
