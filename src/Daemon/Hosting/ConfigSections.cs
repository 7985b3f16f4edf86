using P2P.Daemon.Accountability;
using P2P.Daemon.Api;
using P2P.Daemon.Chain;
using P2P.Daemon.Configuration;
using P2P.Daemon.Gateway.Access;
using P2P.Daemon.Metrics;
using P2P.Daemon.Network;
using P2P.Daemon.Pubsub;
using P2P.Daemon.Storage;

namespace P2P.Daemon.Hosting;

/// <summary>Every configuration section the daemon accepts; any other key is an error. A new area adds one line here.</summary>
public static class ConfigSections
{
    public static IReadOnlyList<ConfigSection> All { get; } =
    [
        ConfigSection.For<ApiOptions>("Api"),
        ConfigSection.For<NetworkOptions>("Network"),
        ConfigSection.For<StorageOptions>("Storage"),
        ConfigSection.For<MiningOptions>("Mining"),
        ConfigSection.For<InferenceOptions>("Inference"),
        ConfigSection.For<GatewayOptions>("Gateway"),
        ConfigSection.For<LoggingOptions>("Logging"),
        ConfigSection.For<DaemonHostOptions>("Host"),
        ConfigSection.For<PubsubOptions>("Pubsub"),
        ConfigSection.For<DiscoveryOptions>("Discovery"),
        ConfigSection.For<ChainOptions>("Chain"),
        ConfigSection.For<AccountabilityOptions>("Accountability"),
        ConfigSection.For<MetricsOptions>("Metrics"),
    ];
}
