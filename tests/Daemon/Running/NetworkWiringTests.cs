using System.Net.Http.Json;
using System.Text.Json;
using P2P.Daemon.Cli;
using P2P.Networking.Host;
using P2P.Networking.Hosting;
using P2P.Networking.Identity;
using P2P.Networking.Multiformats;

namespace P2P.Daemon.Tests.Running;

/// <summary><c>p2pd run</c> starts the libp2p host: a peer can connect, and the API and CLI report it.</summary>
public sealed class NetworkWiringTests(RunningDaemonFixture fixture) : IClassFixture<RunningDaemonFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private HttpClient Client() => new() { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Port}/"), Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task ConnectedPeer_IsReportedByTheApiAndTheCli()
    {
        using var http = Client();
        var network = await http.GetFromJsonAsync<JsonElement>("api/v1/network");
        Assert.Equal(fixture.PeerId, network.GetProperty("peerId").GetString());
        var addresses = network.GetProperty("listenAddresses").EnumerateArray().Select(a => a.GetString()!).ToArray();
        var address = Assert.Single(addresses);
        Assert.Matches($@"^/ip4/127\.0\.0\.1/tcp/\d+/p2p/{fixture.PeerId}$", address);

        await using var peer = new Libp2pHost(Ed25519PrivateKey.Generate(), new NetworkOptions { ListenAddresses = ["/ip4/127.0.0.1/tcp/0"] });
        await peer.StartAsync();
        var connection = await peer.DialAsync(Multiaddr.Parse(address)).WaitAsync(Limit);
        Assert.Equal(fixture.PeerId, connection.RemotePeer.ToString());
        await fixture.Daemon.WaitForOutputAsync($"peer {peer.LocalPeerId} connected (inbound, /ip4/127.0.0.1/tcp/", Limit);
        var info = await peer.Identify.WaitIdentifiedAsync(connection).WaitAsync(Limit);
        Assert.StartsWith("p2pd/", info.AgentVersion);
        await peer.Ping.PingAsync(connection.RemotePeer).WaitAsync(Limit);

        JsonElement listed = default;
        var deadline = DateTime.UtcNow + Limit;
        while (true)
        {
            var peers = await http.GetFromJsonAsync<JsonElement>("api/v1/peers");
            var ours = peers.GetProperty("peers").EnumerateArray().Where(p => p.GetProperty("peerId").GetString() == peer.LocalPeerId.ToString()).ToArray();
            if (ours.Length == 1 && ours[0].GetProperty("protocols").GetArrayLength() > 0 && ours[0].GetProperty("latencyMs").ValueKind == JsonValueKind.Number)
            {
                listed = ours[0];
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"peer not listed with protocols and latency: {peers}");
            await Task.Delay(100);
        }
        Assert.Equal("inbound", listed.GetProperty("direction").GetString());
        Assert.Equal(connection.LocalAddress.ToString(), listed.GetProperty("address").GetString());
        Assert.Contains("/ipfs/ping/1.0.0", listed.GetProperty("protocols").EnumerateArray().Select(p => p.GetString()));

        var output = new StringWriter();
        var error = new StringWriter();
        Assert.True(await CliRoot.RunAsync(["peers", "--data-dir", fixture.DataDirectory, $"--Api:Port={fixture.Port}"], output, error) == 0, error.ToString());
        Assert.Contains(peer.LocalPeerId.ToString(), output.ToString());
        Assert.Contains("inbound", output.ToString());
        Assert.Contains(new NetworkOptions().AgentVersion, output.ToString());
        Assert.Contains("1 connection", output.ToString());

        output = new StringWriter();
        Assert.True(await CliRoot.RunAsync(["status", "--data-dir", fixture.DataDirectory, $"--Api:Port={fixture.Port}"], output, error) == 0, error.ToString());
        Assert.Contains($"/p2p/{fixture.PeerId}", output.ToString());
        Assert.Matches(@"Connected peers\s+│\s+1\s", output.ToString());
    }
}
