using P2P.Networking.Host.Admission;

namespace P2P.Networking.Hosting;

/// <summary>Host settings, bound from the <c>Network</c> configuration section.</summary>
public sealed class NetworkOptions
{
    public const string SectionName = "Network";
    public const string DefaultListenAddress = "/ip4/0.0.0.0/tcp/4001";

    /// <summary>Multiaddrs to listen on; empty means <see cref="DefaultListenAddress"/>.</summary>
    public List<string> ListenAddresses { get; set; } = [];

    /// <summary>Multiaddrs ending in /p2p/&lt;id&gt;, dialled at start and re-dialled with backoff while disconnected.</summary>
    public List<string> BootstrapPeers { get; set; } = [];

    /// <summary>Path of the node key file (marshalled libp2p PrivateKey); the daemon fills it from its data directory.</summary>
    public string? KeyFile { get; set; }

    public string AgentVersion { get; set; } = "p2pd/0.1.0";

    public string ProtocolVersion { get; set; } = "ipfs/0.1.0";

    /// <summary>Connection manager: trim down to <see cref="ConnectionsLowWater"/> when above <see cref="ConnectionsHighWater"/>.</summary>
    public int ConnectionsLowWater { get; set; } = 100;

    public int ConnectionsHighWater { get; set; } = 200;

    /// <summary>New connections are never trimmed during this grace period.</summary>
    public TimeSpan ConnectionGracePeriod { get; set; } = TimeSpan.FromSeconds(20);

    public TimeSpan DialTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Limit for the security and muxer handshakes of one connection.</summary>
    public TimeSpan UpgradeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Limit for multistream-select on one stream.</summary>
    public TimeSpan NegotiationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First backoff after a failed dial to a peer; doubles up to <see cref="DialBackoffMax"/>.</summary>
    public TimeSpan DialBackoffBase { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan DialBackoffMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long addresses learned through identify stay in the peer store.</summary>
    public TimeSpan AddressTtl { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection whose keep-alive ping is unanswered this long is closed.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxInboundStreamsPerConnection { get; set; } = 1000;

    /// <summary>Reported misbehaviour halves in this time, so a peer that behaves again recovers.</summary>
    public TimeSpan ReputationHalfLife { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A peer whose application score falls to this is banned for <see cref="AutoBanDuration"/>.</summary>
    public double AutoBanScore { get; set; } = -100;

    public TimeSpan AutoBanDuration { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Limits on handshakes in progress (per address, per /24 or /64, in total, and the reserves).</summary>
    public AdmissionLimits Admission { get; set; } = new();

    /// <summary>The listen addresses to use (the default when none are configured).</summary>
    public IReadOnlyList<string> EffectiveListenAddresses => ListenAddresses.Count > 0 ? ListenAddresses : [DefaultListenAddress];
}
