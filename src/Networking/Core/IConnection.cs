using P2P.Networking.Identity;
using P2P.Networking.Multiformats;

namespace P2P.Networking.Core;

/// <summary>A secured, multiplexed connection to one peer.</summary>
public interface IConnection
{
    /// <summary>Process-unique connection id (for logs and the API).</summary>
    string Id { get; }

    PeerId RemotePeer { get; }

    /// <summary>The remote's identity key as proven in the security handshake.</summary>
    PublicKey RemotePublicKey { get; }

    Multiaddr LocalAddress { get; }

    Multiaddr RemoteAddress { get; }

    Direction Direction { get; }

    DateTimeOffset OpenedAt { get; }

    /// <summary>Open streams on this connection.</summary>
    IReadOnlyCollection<IStream> Streams { get; }

    bool IsClosed { get; }

    /// <summary>Completes when the connection has closed, for whatever reason.</summary>
    Task Completion { get; }

    /// <summary>Opens a stream and negotiates the first of <paramref name="protocols"/> the remote supports.</summary>
    /// <exception cref="ProtocolNotSupportedException">the remote supports none of them.</exception>
    Task<IStream> OpenStreamAsync(IReadOnlyList<string> protocols, CancellationToken cancellationToken = default);

    /// <summary>Closes gracefully (yamux GoAway, then the socket).</summary>
    Task CloseAsync(CancellationToken cancellationToken = default);
}
