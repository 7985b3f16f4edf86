using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using P2P.Networking.Core;
using P2P.Networking.Host;
using P2P.Networking.Identity;

namespace P2P.Daemon.Network;

/// <summary>Starts the libp2p host with the daemon, logs peers coming and going, and stops the host (closing every connection) on shutdown.</summary>
public sealed class NetworkHostService(Libp2pHost host, NetworkOptions options, ILogger<NetworkHostService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        host.PeerConnected += OnPeerConnected;
        host.PeerDisconnected += OnPeerDisconnected;
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (SocketException failure)
        {
            // Reported by 'p2pd run' as one line (exit 1) instead of an unhandled socket error.
            throw new IOException($"libp2p cannot listen on {string.Join(", ", options.EffectiveListenAddresses)} (Network:ListenAddresses): {failure.Message}", failure);
        }
        foreach (var address in host.ListenAddresses)
        {
            logger.LogInformation("libp2p listening on {Address}", address.WithPeerId(host.LocalPeerId));
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await host.StopAsync(cancellationToken);
        host.PeerConnected -= OnPeerConnected;
        host.PeerDisconnected -= OnPeerDisconnected;
    }

    private void OnPeerConnected(IConnection connection) =>
        logger.LogInformation("peer {PeerId} connected ({Direction}, {Address})", connection.RemotePeer, connection.Direction.ToString().ToLowerInvariant(), connection.RemoteAddress);

    private void OnPeerDisconnected(PeerId peer) => logger.LogInformation("peer {PeerId} disconnected", peer);
}
