using System.Runtime.InteropServices;

namespace P2P.Storage.Native;

/// <summary>Owns a <c>leveldb_writebatch_t*</c>.</summary>
internal sealed class WriteBatchHandle : SafeHandle
{
    public WriteBatchHandle() : base(0, ownsHandle: true) { }

    internal WriteBatchHandle(nint handle) : this() => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        LevelDbNative.WriteBatchDestroy(handle);
        return true;
    }
}
