using P2P.Storage.Native;

namespace P2P.Storage;

/// <summary>A point-in-time read view; pass it to reads and iterators of the database that created it.</summary>
public sealed class LevelDbSnapshot : IDisposable
{
    private readonly SnapshotHandle handle;
    private readonly OwnedNativeHandle readOptions;

    internal LevelDbSnapshot(SnapshotHandle handle, bool verifyChecksums)
    {
        this.handle = handle;
        readOptions = new OwnedNativeHandle(LevelDbNative.ReadOptionsCreate(), LevelDbNative.ReadOptionsDestroy);
        LevelDbNative.ReadOptionsSetSnapshot(readOptions.Pointer, handle.DangerousGetHandle());
        LevelDbNative.ReadOptionsSetVerifyChecksums(readOptions.Pointer, verifyChecksums ? (byte)1 : (byte)0);
    }

    /// <summary>The raw <c>leveldb_snapshot_t*</c>, for building other read options.</summary>
    internal nint NativeSnapshot
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            return handle.DangerousGetHandle();
        }
    }

    /// <summary>Read options bound to this snapshot.</summary>
    internal nint ReadOptions
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            return readOptions.Pointer;
        }
    }

    public void Dispose()
    {
        readOptions.Dispose();
        handle.Dispose();
    }
}
