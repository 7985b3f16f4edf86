using P2P.Daemon.Configuration;
using P2P.Networking.Host.Admission;
using P2P.Networking.Multiformats;
using NetworkingOptions = P2P.Networking.Hosting.NetworkOptions;

namespace P2P.Daemon.Network;

/// <summary>The libp2p host (section <c>Network</c>); <see cref="ToHostOptions"/> turns it into the host's own options.</summary>
public sealed class NetworkOptions : IValidatableOptions
{
    private static readonly NetworkingOptions HostDefaults = new();
    private static readonly AdmissionLimits AdmissionDefaults = new();

    public static readonly IReadOnlyList<string> DefaultListenAddresses = [NetworkingOptions.DefaultListenAddress];

    /// <summary>Multiaddrs to listen on; empty means <see cref="DefaultListenAddresses"/>.</summary>
    /// <remarks>A list binds by appending, so the default is applied after binding rather than as an initial value.</remarks>
    public List<string> ListenAddresses { get; set; } = [];

    /// <summary>Multiaddrs with a <c>/p2p/&lt;peer id&gt;</c> component, dialled at start-up and re-dialled with backoff.</summary>
    public List<string> BootstrapPeers { get; set; } = [];

    /// <summary>The connection manager trims down to this many connections …</summary>
    public int ConnectionsLowWater { get; set; } = HostDefaults.ConnectionsLowWater;

    /// <summary>… once there are more than this many.</summary>
    public int ConnectionsHighWater { get; set; } = HostDefaults.ConnectionsHighWater;

    /// <summary>A new connection is never trimmed this soon after it opened.</summary>
    public int ConnectionGracePeriodSeconds { get; set; } = Seconds(HostDefaults.ConnectionGracePeriod);

    /// <summary>TCP connect limit for one outbound dial.</summary>
    public int DialTimeoutSeconds { get; set; } = Seconds(HostDefaults.DialTimeout);

    /// <summary>Noise and Yamux handshake limit for one connection.</summary>
    public int HandshakeTimeoutSeconds { get; set; } = Seconds(HostDefaults.UpgradeTimeout);

    /// <summary>multistream-select limit for one stream.</summary>
    public int NegotiationTimeoutSeconds { get; set; } = Seconds(HostDefaults.NegotiationTimeout);

    /// <summary>Wait after a failed dial to a peer; doubles per failure up to <see cref="DialBackoffMaxSeconds"/>.</summary>
    public int DialBackoffBaseSeconds { get; set; } = Seconds(HostDefaults.DialBackoffBase);

    public int DialBackoffMaxSeconds { get; set; } = Seconds(HostDefaults.DialBackoffMax);

    /// <summary>How long addresses learned through identify or dials stay in the peer store.</summary>
    public int AddressTtlSeconds { get; set; } = Seconds(HostDefaults.AddressTtl);

    /// <summary>Yamux ping interval on idle connections; 0 turns keep-alive off.</summary>
    public int KeepAliveIntervalSeconds { get; set; } = Seconds(HostDefaults.KeepAliveInterval);

    /// <summary>Streams a remote peer may have open on one connection at a time.</summary>
    public int MaxInboundStreamsPerConnection { get; set; } = HostDefaults.MaxInboundStreamsPerConnection;

    /// <summary>Inbound handshakes in progress from one IP address; more are closed at once.</summary>
    public int MaxPendingHandshakesPerAddress { get; set; } = AdmissionDefaults.MaxPendingPerAddress;

    /// <summary>Inbound handshakes in progress from one /24 (IPv4) or /64 (IPv6).</summary>
    public int MaxPendingHandshakesPerSubnet { get; set; } = AdmissionDefaults.MaxPendingPerSubnet;

    /// <summary>Handshakes in progress in total, inbound and outbound.</summary>
    public int MaxPendingHandshakes { get; set; } = AdmissionDefaults.MaxPending;

    /// <summary>Slots of <see cref="MaxPendingHandshakes"/> kept for this node's own dials.</summary>
    public int OutboundHandshakeReserve { get; set; } = AdmissionDefaults.OutboundReserve;

    /// <summary>Slots of <see cref="MaxPendingHandshakes"/> kept for inbound connections from addresses of peers in the peer store.</summary>
    public int KnownPeerHandshakeReserve { get; set; } = AdmissionDefaults.KnownPeerReserve;

    public IReadOnlyList<string> EffectiveListenAddresses => ListenAddresses.Count > 0 ? ListenAddresses : DefaultListenAddresses;

    public IEnumerable<ConfigurationProblem> Validate(DataDirectory dataDirectory)
    {
        for (var i = 0; i < ListenAddresses.Count; i++)
        {
            if (!Multiaddr.TryParse(ListenAddresses[i], out var address) || address!.PeerId is not null || address.ToIPEndPoint() is null)
                yield return new($"ListenAddresses:{i}", $"'{ListenAddresses[i]}' is not an /ip4 or /ip6 TCP multiaddr (e.g. /ip4/0.0.0.0/tcp/4001)");
        }
        for (var i = 0; i < BootstrapPeers.Count; i++)
        {
            if (!IsDialablePeerAddress(BootstrapPeers[i]))
                yield return new($"BootstrapPeers:{i}", $"'{BootstrapPeers[i]}' is not a TCP multiaddr ending in /p2p/<peer id> (e.g. /ip4/203.0.113.7/tcp/4001/p2p/12D3KooW…)");
        }
        if (ConnectionsLowWater is < 0 or > 100_000) yield return new("ConnectionsLowWater", $"{ConnectionsLowWater} is out of range (0-100000)");
        if (ConnectionsHighWater is < 1 or > 100_000) yield return new("ConnectionsHighWater", $"{ConnectionsHighWater} is out of range (1-100000)");
        else if (ConnectionsHighWater < ConnectionsLowWater)
            yield return new("ConnectionsHighWater", $"{ConnectionsHighWater} is below ConnectionsLowWater ({ConnectionsLowWater})");
        foreach (var problem in InRange(ConnectionGracePeriodSeconds, nameof(ConnectionGracePeriodSeconds), 0, 3600)) yield return problem;
        foreach (var problem in InRange(DialTimeoutSeconds, nameof(DialTimeoutSeconds), 1, 300)) yield return problem;
        foreach (var problem in InRange(HandshakeTimeoutSeconds, nameof(HandshakeTimeoutSeconds), 1, 300)) yield return problem;
        foreach (var problem in InRange(NegotiationTimeoutSeconds, nameof(NegotiationTimeoutSeconds), 1, 300)) yield return problem;
        foreach (var problem in InRange(DialBackoffBaseSeconds, nameof(DialBackoffBaseSeconds), 1, 3600)) yield return problem;
        if (DialBackoffMaxSeconds is < 1 or > 86_400) yield return new(nameof(DialBackoffMaxSeconds), $"{DialBackoffMaxSeconds} is out of range (1-86400)");
        else if (DialBackoffMaxSeconds < DialBackoffBaseSeconds)
            yield return new(nameof(DialBackoffMaxSeconds), $"{DialBackoffMaxSeconds} is below DialBackoffBaseSeconds ({DialBackoffBaseSeconds})");
        foreach (var problem in InRange(AddressTtlSeconds, nameof(AddressTtlSeconds), 1, 604_800)) yield return problem;
        foreach (var problem in InRange(KeepAliveIntervalSeconds, nameof(KeepAliveIntervalSeconds), 0, 3600)) yield return problem;
        foreach (var problem in InRange(MaxInboundStreamsPerConnection, nameof(MaxInboundStreamsPerConnection), 1, 100_000)) yield return problem;
        foreach (var problem in InRange(MaxPendingHandshakesPerAddress, nameof(MaxPendingHandshakesPerAddress), 1, 100_000)) yield return problem;
        foreach (var problem in InRange(MaxPendingHandshakesPerSubnet, nameof(MaxPendingHandshakesPerSubnet), 1, 100_000)) yield return problem;
        foreach (var problem in InRange(MaxPendingHandshakes, nameof(MaxPendingHandshakes), 1, 100_000)) yield return problem;
        foreach (var problem in InRange(OutboundHandshakeReserve, nameof(OutboundHandshakeReserve), 0, 100_000)) yield return problem;
        foreach (var problem in InRange(KnownPeerHandshakeReserve, nameof(KnownPeerHandshakeReserve), 0, 100_000)) yield return problem;
        foreach (var (setting, problem) in ToAdmissionLimits().Problems()) yield return new(DaemonName(setting), problem);
    }

    private AdmissionLimits ToAdmissionLimits() => new()
    {
        MaxPendingPerAddress = MaxPendingHandshakesPerAddress,
        MaxPendingPerSubnet = MaxPendingHandshakesPerSubnet,
        MaxPending = MaxPendingHandshakes,
        OutboundReserve = OutboundHandshakeReserve,
        KnownPeerReserve = KnownPeerHandshakeReserve,
    };

    private static string DaemonName(string admissionSetting) => admissionSetting switch
    {
        nameof(AdmissionLimits.MaxPendingPerAddress) => nameof(MaxPendingHandshakesPerAddress),
        nameof(AdmissionLimits.MaxPendingPerSubnet) => nameof(MaxPendingHandshakesPerSubnet),
        nameof(AdmissionLimits.MaxPending) => nameof(MaxPendingHandshakes),
        nameof(AdmissionLimits.OutboundReserve) => nameof(OutboundHandshakeReserve),
        _ => nameof(KnownPeerHandshakeReserve),
    };

    /// <summary>The libp2p host's options for these settings.</summary>
    public NetworkingOptions ToHostOptions(string agentVersion) => new()
    {
        ListenAddresses = [.. EffectiveListenAddresses],
        BootstrapPeers = [.. BootstrapPeers],
        AgentVersion = agentVersion,
        ConnectionsLowWater = ConnectionsLowWater,
        ConnectionsHighWater = ConnectionsHighWater,
        ConnectionGracePeriod = TimeSpan.FromSeconds(ConnectionGracePeriodSeconds),
        DialTimeout = TimeSpan.FromSeconds(DialTimeoutSeconds),
        UpgradeTimeout = TimeSpan.FromSeconds(HandshakeTimeoutSeconds),
        NegotiationTimeout = TimeSpan.FromSeconds(NegotiationTimeoutSeconds),
        DialBackoffBase = TimeSpan.FromSeconds(DialBackoffBaseSeconds),
        DialBackoffMax = TimeSpan.FromSeconds(DialBackoffMaxSeconds),
        AddressTtl = TimeSpan.FromSeconds(AddressTtlSeconds),
        KeepAliveInterval = TimeSpan.FromSeconds(KeepAliveIntervalSeconds),
        MaxInboundStreamsPerConnection = MaxInboundStreamsPerConnection,
        Admission = ToAdmissionLimits(),
    };

    private static bool IsDialablePeerAddress(string text) =>
        Multiaddr.TryParse(text, out var address) && address!.PeerId is not null && address.TryGetTcpTarget(out _, out _, out _);

    private static IEnumerable<ConfigurationProblem> InRange(int value, string key, int min, int max)
    {
        if (value < min || value > max) yield return new(key, $"{value} is out of range ({min}-{max})");
    }

    private static int Seconds(TimeSpan span) => (int)span.TotalSeconds;
}
