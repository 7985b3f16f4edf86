using System.Net.Http.Json;
using System.Text.Json;
using P2P.Daemon.Cli;
using P2P.Daemon.Tests.Support;
using P2P.Networking.Discovery;
using P2P.Networking.Host;
using P2P.Networking.Hosting;
using P2P.Networking.Identity;
using P2P.Networking.Multiformats;
using P2P.Networking.Pubsub;

namespace P2P.Daemon.Tests.Running;

/// <summary>With <c>Discovery:Enabled=false</c> the daemon runs gossipsub but no DHT; a foreign peer's topic shows up in <c>/api/v1/pubsub</c>.</summary>
public sealed class PubsubDiscoveryOffTests : IDisposable
{
    private const string Topic = "p2pd/other/1";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task DiscoveryOff_NoKademliaAdvertised_RemoteTopicAndPeerScoreReported()
    {
        var dataDirectory = _temp.Sub("data");
        Assert.Equal(0, InitCommand.Run(dataDirectory, force: false, new StringWriter(), new StringWriter()));
        var port = FreePort.Next();
        await using var daemon = DaemonProcess.Start(["run", "--data-dir", dataDirectory, $"--Api:Port={port}", "--Discovery:Enabled=false"]);
        await daemon.WaitUntilHealthyAsync(port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        var address = (await http.GetFromJsonAsync<JsonElement>("api/v1/network")).GetProperty("listenAddresses")[0].GetString()!;

        await using var peer = new Libp2pHost(Ed25519PrivateKey.Generate(), new NetworkOptions { ListenAddresses = ["/ip4/127.0.0.1/tcp/0"] });
        await using var pubsub = Gossipsub.Create(peer, new GossipsubOptions());
        await using var subscription = pubsub.Subscribe(Topic);
        await peer.StartAsync();
        var connection = await peer.DialAsync(Multiaddr.Parse(address)).WaitAsync(Limit);
        var identified = await peer.Identify.WaitIdentifiedAsync(connection).WaitAsync(Limit);
        Assert.Contains(PubsubStreamTransport.Meshsub12, identified.Protocols);
        Assert.DoesNotContain(KademliaDht.ProtocolId, identified.Protocols);

        var deadline = DateTime.UtcNow + Limit;
        while (true)
        {
            var view = await http.GetFromJsonAsync<JsonElement>("api/v1/pubsub");
            var discovery = view.GetProperty("discovery");
            Assert.False(discovery.GetProperty("enabled").GetBoolean());
            Assert.Equal(0, discovery.GetProperty("routingTablePeers").GetInt32());
            var topic = view.GetProperty("topics").EnumerateArray().SingleOrDefault(t => t.GetProperty("topic").GetString() == Topic);
            var listed = view.GetProperty("peers").EnumerateArray().SingleOrDefault(p => p.GetProperty("peerId").GetString() == peer.LocalPeerId.ToString());
            if (topic.ValueKind == JsonValueKind.Object && listed.ValueKind == JsonValueKind.Object)
            {
                // The daemon has not joined the topic: it knows the peer is on it, and has no mesh there.
                Assert.False(topic.GetProperty("subscribed").GetBoolean());
                Assert.Equal(1, topic.GetProperty("peers").GetInt32());
                Assert.Equal(0, topic.GetProperty("meshSize").GetInt32());
                Assert.Equal("inbound", listed.GetProperty("direction").GetString());
                Assert.Equal(JsonValueKind.Number, listed.GetProperty("score").ValueKind);
                Assert.Equal([Topic], listed.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the peer and its topic are not reported: {view}");
            await Task.Delay(100);
        }
    }

    public void Dispose() => _temp.Dispose();
}
