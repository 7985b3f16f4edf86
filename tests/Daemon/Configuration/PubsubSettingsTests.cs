using P2P.Daemon.Configuration;
using P2P.Daemon.Hosting;
using P2P.Daemon.Pubsub;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Configuration;

/// <summary>The <c>Pubsub</c> and <c>Discovery</c> sections: each bad value is named by its key, and good values reach the router and the DHT.</summary>
public sealed class PubsubSettingsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private DaemonSettings Load(params string[] commandLine) =>
        DaemonSettings.Load(_temp.Path, null, commandLine, new ProcessEnvironment(new Dictionary<string, string>(), IsRoot: false, HomeDirectory: "/home/test"), ConfigSections.All);

    [Theory]
    [InlineData("--Pubsub:D=0", "Pubsub:D: 0 is out of range (1-100)")]
    [InlineData("--Pubsub:DLow=7", "Pubsub:DLow: 7 must be between 1 and D (6)")]
    [InlineData("--Pubsub:DHigh=5", "Pubsub:DHigh: 5 must be between D (6) and 1000")]
    [InlineData("--Pubsub:DScore=13", "Pubsub:DScore: 13 must be between 0 and DHigh (12)")]
    [InlineData("--Pubsub:DOut=4", "Pubsub:DOut: 4 must be at least 0, below DLow (4) and at most D/2 (3)")]
    [InlineData("--Pubsub:HeartbeatIntervalMs=50", "Pubsub:HeartbeatIntervalMs: 50 is out of range (100-60000)")]
    [InlineData("--Pubsub:MaxMessageSize=0", "Pubsub:MaxMessageSize: 0 is out of range (1-16777216)")]
    [InlineData("--Pubsub:IPColocationFactorWeight=1", "Pubsub:IPColocationFactorWeight: 1 must be 0 or negative")]
    [InlineData("--Pubsub:PublishThreshold=-5", "Pubsub:PublishThreshold: -5 must be at most GossipThreshold (-10)")]
    [InlineData("--Pubsub:GraylistThreshold=0", "Pubsub:GraylistThreshold: 0 must be at most PublishThreshold (-50)")]
    [InlineData("--Pubsub:Topics:0= ", "Pubsub:Topics:0: a topic name must be 1-256 characters")]
    [InlineData("--Pubsub:FloodPublish=sometimes", "Pubsub:FloodPublish: 'sometimes' is not true or false")]
    [InlineData("--Pubsub:Dlazy=x", "Pubsub:Dlazy: 'x' is not an integer")]
    [InlineData("--Discovery:TargetPeers=-1", "Discovery:TargetPeers: -1 is out of range (0-10000)")]
    [InlineData("--Discovery:DiscoveryIntervalSeconds=0", "Discovery:DiscoveryIntervalSeconds: 0 is out of range (1-3600)")]
    [InlineData("--Discovery:K=0", "Discovery:K: 0 is out of range (1-100)")]
    [InlineData("--Discovery:Walk=1", "Discovery:Walk: unknown configuration key")]
    public void BadValue_IsReportedByItsKey(string argument, string message)
    {
        var failure = Assert.Throws<ConfigurationException>(() => Load(argument));
        Assert.StartsWith(message, failure.Message);
    }

    [Fact]
    public void Defaults_AreTheRoutersAndTheDhtsDefaults()
    {
        var settings = Load();
        var gossipsub = DaemonPubsubExtensions.ToGossipsubOptions(settings.Get<PubsubOptions>());
        var reference = new P2P.Networking.Pubsub.GossipsubOptions();
        Assert.Equal(
            (reference.D, reference.DLow, reference.DHigh, reference.DLazy, reference.DScore, reference.DOut, reference.HeartbeatInterval, reference.FloodPublish, reference.DoPeerExchange),
            (gossipsub.D, gossipsub.DLow, gossipsub.DHigh, gossipsub.DLazy, gossipsub.DScore, gossipsub.DOut, gossipsub.HeartbeatInterval, gossipsub.FloodPublish, gossipsub.DoPeerExchange));
        Assert.Equal((reference.MaxMessageSize, reference.MaxRpcSize), (gossipsub.MaxMessageSize, gossipsub.MaxRpcSize));
        Assert.Equal((reference.Score.IPColocationFactorWeight, reference.Score.IPColocationFactorThreshold), (gossipsub.Score.IPColocationFactorWeight, gossipsub.Score.IPColocationFactorThreshold));
        Assert.Equal((reference.Thresholds.GossipThreshold, reference.Thresholds.PublishThreshold, reference.Thresholds.GraylistThreshold),
            (gossipsub.Thresholds.GossipThreshold, gossipsub.Thresholds.PublishThreshold, gossipsub.Thresholds.GraylistThreshold));

        var kademlia = DaemonPubsubExtensions.ToKademliaOptions(settings.Get<DiscoveryOptions>());
        var kadReference = new P2P.Networking.Discovery.KademliaOptions();
        Assert.Equal(
            (kadReference.K, kadReference.Alpha, kadReference.QueryTimeout, kadReference.RefreshInterval, kadReference.TargetPeers, kadReference.DiscoveryInterval),
            (kademlia.K, kademlia.Alpha, kademlia.QueryTimeout, kademlia.RefreshInterval, kademlia.TargetPeers, kademlia.DiscoveryInterval));
    }

    [Fact]
    public void ConfiguredValues_ReachTheRouterAndTheDht()
    {
        var settings = Load("--Pubsub:D=8", "--Pubsub:DLow=6", "--Pubsub:DHigh=16", "--Pubsub:HeartbeatIntervalMs=700", "--Pubsub:FloodPublish=false",
            "--Pubsub:MaxMessageSize=8388608", "--Pubsub:IPColocationFactorWeight=0", "--Pubsub:Topics:0=p2pd/nodes/1",
            "--Discovery:TargetPeers=20", "--Discovery:RandomWalkIntervalSeconds=60", "--Discovery:Enabled=false");
        var pubsub = settings.Get<PubsubOptions>();
        Assert.Equal(["p2pd/nodes/1"], pubsub.Topics);
        var gossipsub = DaemonPubsubExtensions.ToGossipsubOptions(pubsub);
        Assert.Equal((8, 6, 16, TimeSpan.FromMilliseconds(700), false), (gossipsub.D, gossipsub.DLow, gossipsub.DHigh, gossipsub.HeartbeatInterval, gossipsub.FloodPublish));
        Assert.Equal(8 << 20, gossipsub.MaxMessageSize);
        // An 8 MiB message needs an RPC limit above the 4 MiB default, or it would reset the stream it arrives on.
        Assert.True(gossipsub.MaxRpcSize > gossipsub.MaxMessageSize);
        Assert.Equal(0, gossipsub.Score.IPColocationFactorWeight);

        var discovery = settings.Get<DiscoveryOptions>();
        Assert.False(discovery.Enabled);
        var kademlia = DaemonPubsubExtensions.ToKademliaOptions(discovery);
        Assert.Equal((20, TimeSpan.FromMinutes(1)), (kademlia.TargetPeers, kademlia.RefreshInterval));
    }

    public void Dispose() => _temp.Dispose();
}
