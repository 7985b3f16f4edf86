using P2P.Storage.Native;

namespace P2P.Storage;

/// <summary>Puts and deletes collected in memory and applied atomically by <see cref="LevelDatabase.Write"/>.</summary>
public sealed unsafe class LevelDbWriteBatch : IDisposable
{
    public LevelDbWriteBatch()
    {
        LevelDatabase.EnsureLibrary();
        Handle = new WriteBatchHandle(LevelDbNative.WriteBatchCreate());
    }

    internal WriteBatchHandle Handle { get; }

    /// <summary>Number of operations added since creation or the last <see cref="Clear"/>.</summary>
    public int Count { get; private set; }

    public LevelDbWriteBatch Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            LevelDbNative.WriteBatchPut(Handle, k, (nuint)key.Length, v, (nuint)value.Length);
        }
        Count++;
        return this;
    }

    public LevelDbWriteBatch Delete(ReadOnlySpan<byte> key)
    {
        fixed (byte* k = key)
        {
            LevelDbNative.WriteBatchDelete(Handle, k, (nuint)key.Length);
        }
        Count++;
        return this;
    }

    public void Clear()
    {
        LevelDbNative.WriteBatchClear(Handle);
        Count = 0;
    }

    public void Dispose() => Handle.Dispose();
}
