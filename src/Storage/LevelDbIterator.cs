using P2P.Storage.Native;

namespace P2P.Storage;

/// <summary>A cursor over keys in byte-wise order. <see cref="Key"/> and <see cref="Value"/> are valid until the next move.</summary>
public sealed unsafe class LevelDbIterator : IDisposable
{
    private readonly IteratorHandle _handle;
    private readonly LevelDbSnapshot? _snapshot;

    internal LevelDbIterator(IteratorHandle handle, LevelDbSnapshot? snapshot)
    {
        _handle = handle;
        _snapshot = snapshot;
    }

    /// <summary>True while the iterator is positioned on an entry.</summary>
    public bool IsValid => LevelDbNative.IteratorValid(_handle) != 0;

    public void SeekToFirst() => LevelDbNative.IteratorSeekToFirst(_handle);

    public void SeekToLast() => LevelDbNative.IteratorSeekToLast(_handle);

    /// <summary>Positions at the first key ≥ <paramref name="target"/>.</summary>
    public void Seek(ReadOnlySpan<byte> target)
    {
        fixed (byte* t = target)
        {
            LevelDbNative.IteratorSeek(_handle, t, (nuint)target.Length);
        }
    }

    public void Next()
    {
        ThrowIfNotValid();
        LevelDbNative.IteratorNext(_handle);
    }

    public void Prev()
    {
        ThrowIfNotValid();
        LevelDbNative.IteratorPrev(_handle);
    }

    public ReadOnlySpan<byte> Key
    {
        get
        {
            ThrowIfNotValid();
            nuint length = 0;
            var key = LevelDbNative.IteratorKey(_handle, &length);
            return new ReadOnlySpan<byte>(key, checked((int)length));
        }
    }

    public ReadOnlySpan<byte> Value
    {
        get
        {
            ThrowIfNotValid();
            nuint length = 0;
            var value = LevelDbNative.IteratorValue(_handle, &length);
            return new ReadOnlySpan<byte>(value, checked((int)length));
        }
    }

    /// <summary>Throws if iteration stopped because of an error (corruption, I/O) rather than the end of the data.</summary>
    public void ThrowIfError()
    {
        nint error = 0;
        LevelDbNative.IteratorGetError(_handle, &error);
        LevelDbStatus.ThrowIfError(error);
    }

    public void Dispose()
    {
        _handle.Dispose();
        GC.KeepAlive(_snapshot);
    }

    private void ThrowIfNotValid()
    {
        if (!IsValid) throw new InvalidOperationException("the iterator is not positioned on an entry");
    }
}
