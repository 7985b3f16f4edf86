using System.IO.Pipelines;
using P2P.Networking.Identity;

namespace P2P.Networking.Core;

/// <summary>
/// One multiplexed, protocol-negotiated byte stream to a peer. Reading completes when the remote
/// half-closes; <see cref="CloseWriteAsync"/> half-closes our side; <see cref="Reset"/> aborts both.
/// Disposing closes our write side and stops reading.
/// </summary>
public interface IStream : IDuplexPipe, IAsyncDisposable
{
    /// <summary>Unique within the connection.</summary>
    long Id { get; }

    PeerId RemotePeer { get; }

    /// <summary>The negotiated protocol id, e.g. <c>/ipfs/ping/1.0.0</c>.</summary>
    string Protocol { get; }

    Direction Direction { get; }

    IConnection Connection { get; }

    /// <summary>Flushes and half-closes our write side (yamux FIN); the remote may still write.</summary>
    ValueTask CloseWriteAsync(CancellationToken cancellationToken = default);

    /// <summary>Aborts the stream in both directions (yamux RST).</summary>
    void Reset();
}
