using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using P2P.Networking.Discovery;
using P2P.Networking.Host;
using P2P.Networking.Pubsub;

namespace P2P.Daemon.Pubsub;

/// <summary>
/// Runs gossipsub, the Kademlia DHT and the discovery loop on the libp2p host. Registered after
/// <see cref="NetworkHostService"/>, so it starts once the host listens and stops before the host closes its connections.
/// </summary>
public sealed class PubsubHostService(
    Libp2pHost host,
    Gossipsub pubsub,
    KademliaDht dht,
    KademliaOptions kademlia,
    PubsubOptions pubsubOptions,
    DiscoveryOptions discoveryOptions,
    TimeProvider time,
    ILoggerFactory loggers) : IHostedService
{
    private readonly ILogger _log = loggers.CreateLogger<PubsubHostService>();
    private PeerDiscovery? _discovery;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The router joins these topics without a local subscription: it meshes and forwards, and buffers nothing.
        foreach (var topic in pubsubOptions.Topics.Distinct(StringComparer.Ordinal)) pubsub.Router.Subscribe(topic);
        _log.LogInformation("gossipsub running (D={D}, D_lo={DLow}, D_hi={DHigh}, heartbeat {Heartbeat} ms, {Topics} configured topic(s))",
            pubsubOptions.D, pubsubOptions.DLow, pubsubOptions.DHigh, pubsubOptions.HeartbeatIntervalMs, pubsubOptions.Topics.Count);
        if (!discoveryOptions.Enabled)
        {
            _log.LogInformation("discovery is off (Discovery:Enabled=false)");
            return Task.CompletedTask;
        }
        dht.Start();
        _discovery = new PeerDiscovery(host, dht, kademlia, time, new Random(), loggers.CreateLogger<PeerDiscovery>());
        _discovery.Start();
        _log.LogInformation("discovery running (Kademlia {Protocol}, target {Target} peers)", KademliaDht.ProtocolId, discoveryOptions.TargetPeers);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Discovery first, so that nothing dials while the host shuts down; then the DHT's and gossipsub's stream handlers.
        if (_discovery is not null)
        {
            await _discovery.DisposeAsync().AsTask().WaitAsync(cancellationToken);
            await dht.DisposeAsync();
        }
        await pubsub.DisposeAsync().AsTask().WaitAsync(cancellationToken);
    }
}
