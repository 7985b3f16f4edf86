namespace P2P.Storage.Native;

/// <summary>Owns a <c>const leveldb_snapshot_t*</c>; releasing it needs the database pointer.</summary>
internal sealed class SnapshotHandle : DependentHandle
{
    protected override void Free(nint native) => LevelDbNative.ReleaseSnapshot(Database.DangerousGetHandle(), native);
}
