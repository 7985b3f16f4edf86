using System.Runtime.InteropServices;

namespace P2P.Storage.Native;

/// <summary>Owns a <c>leveldb_t*</c> and the cache and filter policy it uses, which must outlive it.</summary>
/// <remarks>Iterators and snapshots add a reference, so the database closes only after the last of them.</remarks>
internal sealed class LevelDbHandle : SafeHandle
{
    private readonly OwnedNativeHandle? _cache;
    private readonly OwnedNativeHandle? _filterPolicy;

    public LevelDbHandle() : base(0, ownsHandle: true) { }

    internal LevelDbHandle(nint handle, OwnedNativeHandle? cache, OwnedNativeHandle? filterPolicy) : this()
    {
        _cache = cache;
        _filterPolicy = filterPolicy;
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        LevelDbNative.Close(handle);
        _cache?.Dispose();
        _filterPolicy?.Dispose();
        return true;
    }
}
