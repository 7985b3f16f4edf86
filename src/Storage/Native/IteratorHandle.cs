namespace P2P.Storage.Native;

/// <summary>Owns a <c>leveldb_iterator_t*</c>.</summary>
internal sealed class IteratorHandle : DependentHandle
{
    protected override void Free(nint native) => LevelDbNative.IteratorDestroy(native);
}
