namespace P2P.Networking.Host.Admission;

/// <summary>One admitted handshake; disposing it frees the slot (once, however often it is disposed).</summary>
public sealed class HandshakeSlot : IDisposable
{
    private Action? _release;

    internal HandshakeSlot(Action release) => _release = release;

    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
