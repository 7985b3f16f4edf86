using P2P.Networking.Identity;
using P2P.Networking.Multiformats;

namespace P2P.Interop;

/// <summary>A connection held open with js's connection monitor on (it pings every 10 s and closes on failure).</summary>
public sealed class LongLivedConnectionTests
{
    [JsFact]
    public async Task ConnectionHeld40SecondsWithTheJsConnectionMonitor_StaysOpen()
    {
        await using var js = await JsPeer.StartAsync(new { connectionMonitor = new { enabled = true, pingInterval = 5000 } });
        await using var host = await CsHosts.StartAsync(o => o.KeepAliveInterval = TimeSpan.FromSeconds(10));
        var connection = await host.DialAsync(Multiaddr.Parse(js.Addresses[0])).WaitAsync(TimeSpan.FromSeconds(30));
        var jsPeer = PeerId.Parse(js.PeerId);

        // Holding the connection through several of js's wall-clock ping rounds is what this test checks.
        await Task.Delay(TimeSpan.FromSeconds(40));

        Assert.False(connection.IsClosed);
        Assert.Same(connection, Assert.Single(host.GetConnections(jsPeer)));
        var seen = await js.CallAsync("connections");
        var open = Assert.Single(seen["connections"]!.AsArray());
        Assert.Equal(host.LocalPeerId.ToString(), open!["peer"]!.GetValue<string>());
        Assert.Equal("open", open["status"]!.GetValue<string>());
        Assert.NotNull(host.Peers.GetLatency(jsPeer)); // yamux keep-alive pings were answered
        await js.CallAsync("ping", new { peer = host.LocalPeerId.ToString() });
        await host.Ping.PingAsync(jsPeer);
    }
}
