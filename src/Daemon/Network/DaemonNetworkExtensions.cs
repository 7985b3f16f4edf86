using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2P.Daemon.Node;
using P2P.Networking.Core;
using P2P.Networking.Host;
using P2P.Networking.Identity;

namespace P2P.Daemon.Network;

/// <summary>Registers the libp2p host (as <see cref="IP2PHost"/> and <see cref="Libp2pHost"/>) and its hosted service.</summary>
public static class DaemonNetworkExtensions
{
    /// <param name="agentSuffix">Appended to identify's agent version (the chain id, when a chain is configured).</param>
    public static IServiceCollection AddDaemonNetwork(this IServiceCollection services, NetworkOptions network, PrivateKey nodeKey, string agentSuffix = "")
    {
        var options = network.ToHostOptions("p2pd/" + DaemonVersion.Text + agentSuffix);
        services.AddSingleton(provider => new Libp2pHost(
            nodeKey,
            options,
            provider.GetRequiredService<ILoggerFactory>(),
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IP2PHost>(provider => provider.GetRequiredService<Libp2pHost>());
        services.AddHostedService<NetworkHostService>();
        return services;
    }
}
