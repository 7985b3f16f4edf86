using P2P.Consensus.Storage.Native;

namespace P2P.Consensus.Storage;

/// <summary>A point-in-time read view; pass it to reads and iterators of the database that created it.</summary>
public sealed class LevelDbSnapshot : IDisposable
{
    private readonly SnapshotHandle handle;
    private readonly OwnedNativeHandle readOptions;

    internal LevelDbSnapshot(SnapshotHandle handle)
    {
        this.handle = handle;
        readOptions = new OwnedNativeHandle(LevelDbNative.ReadOptionsCreate(), LevelDbNative.ReadOptionsDestroy);
        LevelDbNative.ReadOptionsSetSnapshot(readOptions.Pointer, handle.DangerousGetHandle());
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
