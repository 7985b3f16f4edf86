using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using P2P.Networking.Host;

namespace P2P.Daemon.Hosting;

/// <summary>Starts the libp2p host with the daemon and stops it (closing every connection) on shutdown.</summary>
public sealed class NetworkHostService(Libp2pHost host, ILogger<NetworkHostService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await host.StartAsync(cancellationToken);
        foreach (var address in host.ListenAddresses)
        {
            logger.LogInformation("libp2p listening on {Address}", address.WithPeerId(host.LocalPeerId));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => host.StopAsync(cancellationToken);
}
