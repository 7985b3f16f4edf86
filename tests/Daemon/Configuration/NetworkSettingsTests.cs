using P2P.Daemon.Cli;
using P2P.Daemon.Configuration;
using P2P.Daemon.Hosting;
using P2P.Daemon.Network;
using P2P.Daemon.Tests.Support;
using HostDefaults = P2P.Networking.Hosting.NetworkOptions;

namespace P2P.Daemon.Tests.Configuration;

/// <summary>The <c>Network</c> section: every libp2p host setting a node runner sets, bound, range-checked and passed to the host.</summary>
public sealed class NetworkSettingsTests : IDisposable
{
    private const string PeerAddress = "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";
    private readonly TempDirectory _temp = new();

    private DaemonSettings Load(params string[] commandLine) =>
        DaemonSettings.Load(_temp.Path, null, commandLine, new ProcessEnvironment(new Dictionary<string, string>(), IsRoot: false, HomeDirectory: "/home/test"), ConfigSections.All);

    [Fact]
    public void Defaults_AreTheHostsOwnDefaults()
    {
        var fromConfig = Load().Get<NetworkOptions>().ToHostOptions("p2pd/test");
        var host = new HostDefaults();
        Assert.Equal(host.ConnectionsLowWater, fromConfig.ConnectionsLowWater);
        Assert.Equal(host.ConnectionsHighWater, fromConfig.ConnectionsHighWater);
        Assert.Equal(host.ConnectionGracePeriod, fromConfig.ConnectionGracePeriod);
        Assert.Equal(host.DialTimeout, fromConfig.DialTimeout);
        Assert.Equal(host.UpgradeTimeout, fromConfig.UpgradeTimeout);
        Assert.Equal(host.NegotiationTimeout, fromConfig.NegotiationTimeout);
        Assert.Equal(host.DialBackoffBase, fromConfig.DialBackoffBase);
        Assert.Equal(host.DialBackoffMax, fromConfig.DialBackoffMax);
        Assert.Equal(host.AddressTtl, fromConfig.AddressTtl);
        Assert.Equal(host.KeepAliveInterval, fromConfig.KeepAliveInterval);
        Assert.Equal(host.MaxInboundStreamsPerConnection, fromConfig.MaxInboundStreamsPerConnection);
        Assert.Equal([HostDefaults.DefaultListenAddress], fromConfig.ListenAddresses);
        Assert.Equal("p2pd/test", fromConfig.AgentVersion);
    }

    [Fact]
    public void EverySetting_ReachesTheHostOptions()
    {
        var options = Load(
            "--Network:ListenAddresses:0=/ip6/::1/tcp/4002",
            "--Network:BootstrapPeers:0=" + PeerAddress,
            "--Network:ConnectionsLowWater=5", "--Network:ConnectionsHighWater=9", "--Network:ConnectionGracePeriodSeconds=0",
            "--Network:DialTimeoutSeconds=3", "--Network:HandshakeTimeoutSeconds=4", "--Network:NegotiationTimeoutSeconds=6",
            "--Network:DialBackoffBaseSeconds=2", "--Network:DialBackoffMaxSeconds=60", "--Network:AddressTtlSeconds=120",
            "--Network:KeepAliveIntervalSeconds=0", "--Network:MaxInboundStreamsPerConnection=64").Get<NetworkOptions>().ToHostOptions("x");

        Assert.Equal(["/ip6/::1/tcp/4002"], options.ListenAddresses);
        Assert.Equal([PeerAddress], options.BootstrapPeers);
        Assert.Equal((5, 9), (options.ConnectionsLowWater, options.ConnectionsHighWater));
        Assert.Equal(TimeSpan.Zero, options.ConnectionGracePeriod);
        Assert.Equal(TimeSpan.FromSeconds(3), options.DialTimeout);
        Assert.Equal(TimeSpan.FromSeconds(4), options.UpgradeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(6), options.NegotiationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), options.DialBackoffBase);
        Assert.Equal(TimeSpan.FromMinutes(1), options.DialBackoffMax);
        Assert.Equal(TimeSpan.FromMinutes(2), options.AddressTtl);
        Assert.Equal(TimeSpan.Zero, options.KeepAliveInterval);
        Assert.Equal(64, options.MaxInboundStreamsPerConnection);
    }

    [Theory]
    [InlineData("--Network:ListenAddresses:0=/ip4/1.2.3.4/udp/1", "Network:ListenAddresses:0")]
    [InlineData("--Network:ListenAddresses:0=/dns4/example.com/tcp/1", "Network:ListenAddresses:0")]
    [InlineData("--Network:ListenAddresses:0=/ip4/999.0.0.1/tcp/1", "Network:ListenAddresses:0")]
    [InlineData("--Network:BootstrapPeers:0=/ip4/1.2.3.4/tcp/1/p2p/notapeerid", "Network:BootstrapPeers:0")]
    [InlineData("--Network:ConnectionsLowWater=-1", "Network:ConnectionsLowWater")]
    [InlineData("--Network:ConnectionsHighWater=0", "Network:ConnectionsHighWater")]
    [InlineData("--Network:ConnectionsHighWater=50", "Network:ConnectionsHighWater")] // below the default low water (100)
    [InlineData("--Network:ConnectionGracePeriodSeconds=-5", "Network:ConnectionGracePeriodSeconds")]
    [InlineData("--Network:DialTimeoutSeconds=0", "Network:DialTimeoutSeconds")]
    [InlineData("--Network:DialTimeoutSeconds=ten", "Network:DialTimeoutSeconds")]
    [InlineData("--Network:HandshakeTimeoutSeconds=301", "Network:HandshakeTimeoutSeconds")]
    [InlineData("--Network:NegotiationTimeoutSeconds=0", "Network:NegotiationTimeoutSeconds")]
    [InlineData("--Network:DialBackoffBaseSeconds=0", "Network:DialBackoffBaseSeconds")]
    [InlineData("--Network:DialBackoffMaxSeconds=1", "Network:DialBackoffMaxSeconds")] // below the default base (5)
    [InlineData("--Network:AddressTtlSeconds=0", "Network:AddressTtlSeconds")]
    [InlineData("--Network:KeepAliveIntervalSeconds=-1", "Network:KeepAliveIntervalSeconds")]
    [InlineData("--Network:MaxInboundStreamsPerConnection=0", "Network:MaxInboundStreamsPerConnection")]
    [InlineData("--Network:UpgradeTimeout=5", "Network:UpgradeTimeout")]
    public void InvalidNetworkSettings_NameTheKey(string argument, string key)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(argument));
        Assert.Equal(key, error.Subject);
        Assert.StartsWith(key + ": ", error.Message);
    }

    [Fact]
    public async Task Run_WithABadNetworkValue_Exits2NamingTheKey()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliRoot.RunAsync(["run", "--data-dir", _temp.Path, "--Network:DialTimeoutSeconds=0"], output, error);
        Assert.Equal(ExitCodes.Configuration, exit);
        Assert.StartsWith("p2pd: Network:DialTimeoutSeconds: 0 is out of range (1-300)", error.ToString());
    }

    public void Dispose() => _temp.Dispose();
}
