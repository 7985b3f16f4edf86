using System.IO.Pipelines;
using P2P.Networking.Core;
using P2P.Networking.Identity;
using P2P.Networking.Yamux;

namespace P2P.Networking.Host;

/// <summary>A negotiated yamux stream as an <see cref="IStream"/>.</summary>
internal sealed class Libp2pStream(Connection connection, YamuxStream inner, string protocol, Direction direction) : IStream
{
    private int _disposed;

    public long Id => inner.Id;

    public PeerId RemotePeer => connection.RemotePeer;

    public string Protocol => protocol;

    public Direction Direction => direction;

    public IConnection Connection => connection;

    public PipeReader Input => inner.Input;

    public PipeWriter Output => inner.Output;

    internal YamuxStream Inner => inner;

    public async ValueTask CloseWriteAsync(CancellationToken cancellationToken = default) =>
        await inner.CloseWriteAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);

    public void Reset() => inner.Reset();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await inner.Output.CompleteAsync().ConfigureAwait(false);
        await inner.Input.CompleteAsync().ConfigureAwait(false);
    }
}
