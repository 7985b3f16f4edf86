using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using P2P.Daemon.Api;
using P2P.Daemon.Gateway.Access;
using P2P.Daemon.Node;

namespace P2P.Daemon.Hosting;

/// <summary>Logs one line when the daemon is up and one when it begins to stop, with what an operator needs to know.</summary>
public sealed class StartupLogService(IHostApplicationLifetime lifetime, NodeInfo node, ApiOptions api, GatewayOptions gateway, ILogger<StartupLogService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (api.IsBeyondLoopback)
            logger.LogWarning(
                "the HTTP API listens on {Address}, beyond loopback: anyone who can reach port {Port} can read the node's status, and the API token is all that protects the rest; put a reverse proxy with TLS in front or set Api:BindAddress=127.0.0.1",
                api.BindAddress, api.Port);
        // A warning, not a refusal: a gateway on a private network, or behind a proxy that authenticates, is a deliberate setup.
        if (api.IsBeyondLoopback && !gateway.KeysRequired)
            logger.LogWarning(
                "the OpenAI gateway (/v1/*) on {Address}:{Port} is OPEN: anyone who can reach it can run inference on this node and the network in its name; set Gateway:ApiKeysFile to require bearer keys",
                api.BindAddress, api.Port);
        lifetime.ApplicationStarted.Register(() => logger.LogInformation(
            "p2pd {Version} started: peer id {PeerId}, API http://{Address}:{Port}, data directory {DataDirectory}",
            node.Version, node.PeerId, api.BindAddress, api.Port, node.DataDirectory));
        lifetime.ApplicationStopping.Register(() => logger.LogInformation("p2pd stopping"));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
