using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using P2P.Daemon.Cli;
using P2P.Daemon.Tests.Support;
using P2P.Networking.Host;
using P2P.Networking.Hosting;
using P2P.Networking.Identity;
using P2P.Networking.Multiformats;
using Xunit.Abstractions;

namespace P2P.Daemon.Tests.Hardening;

/// <summary>
/// Issue 11, acceptance 3: 300 idle TCP connections from one /24, each reopened as soon as it is closed, neither
/// keep a new node out (it connects within 5 s) nor drop an existing connection, and the daemon's log stays small.
/// </summary>
public sealed class ListenerFloodTests(ITestOutputHelper log)
{
    private const int FloodConnections = 300;
    private const int FloodSourceAddresses = 30;
    private static readonly TimeSpan FloodDuration = TimeSpan.FromSeconds(14);
    private static readonly TimeSpan JoinLimit = TimeSpan.FromSeconds(5);
    /// <summary>Unthrottled, this flood wrote ≈ 250 KB/s; throttled, a window holds 10 lines and one summary.</summary>
    private const int MaxLogBytesDuringFlood = 24 * 1024;

    [Fact]
    public async Task IdleConnectionFlood_DoesNotKeepANewNodeOut_NorDropAnExistingOne_AndTheLogStaysSmall()
    {
        using var temp = new TempDirectory();
        var data = temp.Sub("data");
        Assert.Equal(0, InitCommand.Run(data, force: false, new StringWriter(), new StringWriter()));
        var daemonPeer = NodeKeyFile.Load(Path.Combine(data, "node.key")).PeerId;
        var apiPort = FreePort.Next();
        var p2pPort = FreePort.Next();
        await using var daemon = DaemonProcess.Start(["run", "--data-dir", data, $"--Api:Port={apiPort}"],
            new Dictionary<string, string> { ["P2PD__Network__ListenAddresses__0"] = $"/ip4/127.0.0.1/tcp/{p2pPort}" });
        await daemon.WaitUntilHealthyAsync(apiPort);
        var address = Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{p2pPort}/p2p/{daemonPeer}");

        await using var existing = new Libp2pHost(Ed25519PrivateKey.Generate(), new NetworkOptions { ListenAddresses = ["/ip4/127.0.0.1/tcp/0"] });
        await existing.StartAsync();
        var existingConnection = await existing.DialAsync(address).WaitAsync(JoinLimit);

        var logBefore = daemon.StandardOutput.Length + daemon.StandardError.Length;
        using var flooding = new CancellationTokenSource(FloodDuration);
        var opened = new long[1];
        var floodClock = Stopwatch.StartNew();
        var flood = Enumerable.Range(0, FloodConnections)
            .Select(i => Task.Run(() => FloodLoopAsync(IPAddress.Parse($"127.0.5.{1 + i % FloodSourceAddresses}"), p2pPort, opened, flooding.Token)))
            .ToArray();

        // The new node dials once the flood is in full swing: every flood loop has connected at least once.
        while (Interlocked.Read(ref opened[0]) < FloodConnections * 2)
        {
            Assert.False(flooding.IsCancellationRequested, $"the flood opened only {Interlocked.Read(ref opened[0])} connections");
            await Task.Delay(20);
        }
        await using var newcomer = new Libp2pHost(Ed25519PrivateKey.Generate(), new NetworkOptions { ListenAddresses = ["/ip4/127.0.0.1/tcp/0"] });
        await newcomer.StartAsync();
        var joinClock = Stopwatch.StartNew();
        var joined = await newcomer.DialAsync(address).WaitAsync(JoinLimit);
        var joinTime = joinClock.Elapsed;
        Assert.Equal(daemonPeer, joined.RemotePeer);
        await newcomer.Ping.PingAsync(daemonPeer).WaitAsync(JoinLimit);
        Assert.False(flooding.IsCancellationRequested, "the flood ended before the new node had joined");

        // Through a full rejection-log window, so that a summary line must have been written.
        await daemon.WaitForOutputAsync("inbound connections in the last", FloodDuration + TimeSpan.FromSeconds(10));
        await Task.WhenAll(flood);
        var floodTime = floodClock.Elapsed;
        var logBytes = daemon.StandardOutput.Length + daemon.StandardError.Length - logBefore;

        Assert.Contains(existingConnection, existing.GetConnections(daemonPeer));
        await existing.Ping.PingAsync(daemonPeer).WaitAsync(JoinLimit);
        log.WriteLine($"flood: {opened[0]} connections in {floodTime.TotalSeconds:0.0} s; new node joined in {joinTime.TotalMilliseconds:0} ms; log grew by {logBytes} bytes");
        log.WriteLine(string.Join("\n", daemon.StandardOutput.Split('\n').Where(l => l.Contains("rejected", StringComparison.Ordinal)).Take(14)));
        Assert.True(joinTime < JoinLimit, $"the new node needed {joinTime}");
        Assert.True(logBytes < MaxLogBytesDuringFlood, $"the log grew by {logBytes} bytes during the flood:\n{daemon.StandardOutput[^Math.Min(4000, daemon.StandardOutput.Length)..]}");
        Assert.Contains("handshake timed out after 10 s", daemon.StandardOutput);
    }

    /// <summary>One attacker connection: open, say nothing, and reopen as soon as the daemon closes it.</summary>
    private static async Task FloodLoopAsync(IPAddress source, int port, long[] opened, CancellationToken cancellation)
    {
        var buffer = new byte[64];
        while (!cancellation.IsCancellationRequested)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                // IP_BIND_ADDRESS_NO_PORT: the port is picked at connect time, so tens of thousands of short connections do not run out of ports.
                socket.SetRawSocketOption(0, 24, BitConverter.GetBytes(1));
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellation);
                Interlocked.Increment(ref opened[0]);
                while (await socket.ReceiveAsync(buffer, SocketFlags.None, cancellation) > 0) { }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                await Task.Yield();
            }
        }
    }
}
