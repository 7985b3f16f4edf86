using System.Runtime.InteropServices;

namespace P2P.Storage.Native;

/// <summary>A native object that must be freed before its database closes (iterator, snapshot); holds a reference on the database handle.</summary>
internal abstract class DependentHandle : SafeHandle
{
    private LevelDbHandle? _database;

    protected DependentHandle() : base(0, ownsHandle: true) { }

    public override bool IsInvalid => handle == 0;

    protected LevelDbHandle Database => _database ?? throw new InvalidOperationException("handle not attached to a database");

    /// <summary>Takes ownership of <paramref name="native"/>, created from <paramref name="owner"/> on which the caller already holds a reference.</summary>
    internal void Attach(LevelDbHandle owner, nint native)
    {
        _database = owner;
        SetHandle(native);
    }

    protected sealed override bool ReleaseHandle()
    {
        Free(handle);
        _database?.DangerousRelease();
        return true;
    }

    protected abstract void Free(nint native);
}
