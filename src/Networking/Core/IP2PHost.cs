using P2P.Networking.Identity;
using P2P.Networking.Multiformats;

namespace P2P.Networking.Core;

/// <summary>A libp2p host (go-libp2p shape): identity, listeners, connections, protocol handlers and a peer store.</summary>
public interface IP2PHost : IAsyncDisposable
{
    PeerId LocalPeerId { get; }

    PrivateKey PrivateKey { get; }

    /// <summary>The addresses actually listened on (ports resolved), without the /p2p suffix.</summary>
    IReadOnlyList<Multiaddr> ListenAddresses { get; }

    IPeerStore Peers { get; }

    /// <summary>Misbehaviour reports, bans and protection from trimming, for the protocols running on this host.</summary>
    IPeerReputation Reputation { get; }

    /// <summary>The clock every timeout, backoff and TTL of the host runs on.</summary>
    TimeProvider Time { get; }

    /// <summary>Open connections (possibly more than one per peer during a simultaneous dial).</summary>
    IReadOnlyCollection<IConnection> Connections { get; }

    /// <summary>Protocol ids with a registered handler, as advertised by identify.</summary>
    IReadOnlyCollection<string> Protocols { get; }

    /// <summary>
    /// Raised for every new connection. Connected and disconnected events are raised in the order of the changes they
    /// announce (never a stale "disconnected" after a newer connection's "connected"); handlers must not block.
    /// </summary>
    event Action<IConnection>? PeerConnected;

    /// <summary>Raised when the last connection to a peer has closed.</summary>
    event Action<PeerId>? PeerDisconnected;

    /// <summary>Raised after identify (or identify push) from the peer was received and recorded.</summary>
    event Action<IdentifyInfo>? PeerIdentified;

    /// <summary>Binds the listen addresses and dials the bootstrap peers.</summary>
    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>Stops listening and closes every connection.</summary>
    Task StopAsync(CancellationToken cancellationToken = default);

    /// <summary>Dials an address; when it ends in /p2p/&lt;id&gt;, the remote must prove that identity.</summary>
    Task<IConnection> DialAsync(Multiaddr address, CancellationToken cancellationToken = default);

    /// <summary>Returns an existing connection to the peer or dials its known addresses.</summary>
    Task<IConnection> DialAsync(PeerId peer, CancellationToken cancellationToken = default);

    /// <summary>Connects if needed, opens a stream and negotiates the first supported protocol.</summary>
    Task<IStream> OpenStreamAsync(PeerId peer, IReadOnlyList<string> protocols, CancellationToken cancellationToken = default);

    /// <summary>Connected peers (at least one open connection).</summary>
    IReadOnlyCollection<PeerId> ConnectedPeers { get; }

    IReadOnlyList<IConnection> GetConnections(PeerId peer);

    /// <summary>Registers (or replaces) the handler for inbound streams of <paramref name="protocol"/>; identify peers are told (push).</summary>
    void SetStreamHandler(string protocol, StreamHandler handler);

    void RemoveStreamHandler(string protocol);

    /// <summary>Closes every connection to the peer.</summary>
    Task DisconnectAsync(PeerId peer, CancellationToken cancellationToken = default);
}
