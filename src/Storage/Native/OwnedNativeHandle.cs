using System.Runtime.InteropServices;

namespace P2P.Storage.Native;

/// <summary>Owns a standalone LevelDB object (options, cache, filter policy) freed by a given destroy function.</summary>
internal sealed class OwnedNativeHandle : SafeHandle
{
    private readonly Action<nint> _destroy;

    internal OwnedNativeHandle(nint handle, Action<nint> destroy) : base(0, ownsHandle: true)
    {
        _destroy = destroy;
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>The raw pointer, for passing to calls while this handle is known to be alive (owned by the caller's object).</summary>
    internal nint Pointer => handle;

    protected override bool ReleaseHandle()
    {
        _destroy(handle);
        return true;
    }
}
