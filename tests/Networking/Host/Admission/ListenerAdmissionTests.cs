using System.Net;
using System.Net.Sockets;
using P2P.Networking.Host;
using P2P.Networking.Host.Admission;
using P2P.Networking.Hosting;
using P2P.Networking.Identity;
using P2P.Networking.Tests.Hostile;

namespace P2P.Networking.Tests.Host.Admission;

/// <summary>The accept path applies the admission limits: idle connections from one address take at most its slots.</summary>
public sealed class ListenerAdmissionTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ConnectionsOverThePerAddressLimit_AreClosedAtOnceAndAPeerFromElsewhereStillJoins()
    {
        var logs = new ListLoggerFactory();
        var options = new NetworkOptions
        {
            ListenAddresses = ["/ip4/127.0.0.1/tcp/0"],
            Admission = new AdmissionLimits { MaxPendingPerAddress = 2, MaxPendingPerSubnet = 2 },
        };
        await using var target = new Libp2pHost(Ed25519PrivateKey.Generate(), options, logs);
        await target.StartAsync();
        var endPoint = target.ListenAddresses[0].ToIPEndPoint()!;
        var attacker = IPAddress.Parse("127.0.9.1");

        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < 2; i++) idle.Add(await ConnectFromAsync(attacker, endPoint));
            // The accept loop takes connections in order and admits synchronously, so the first two hold
            // both slots (idle, for the whole 10 s handshake timeout) when the third is accepted.
            using var third = await ConnectFromAsync(attacker, endPoint);
            var buffer = new byte[1];
            using var timeout = new CancellationTokenSource(Limit);
            Assert.Equal(0, await third.ReceiveAsync(buffer, SocketFlags.None, timeout.Token));
            await logs.WaitForAsync("rejected: limit: 2 handshakes from 127.0.9.1 already in progress", Limit);

            await using var friend = new Libp2pHost(Ed25519PrivateKey.Generate(), new NetworkOptions { ListenAddresses = ["/ip4/127.0.0.1/tcp/0"] });
            await friend.StartAsync();
            var connection = await friend.DialAsync(target.ListenAddresses[0].WithPeerId(target.LocalPeerId)).WaitAsync(Limit);
            Assert.Equal(target.LocalPeerId, connection.RemotePeer);
        }
        finally
        {
            foreach (var socket in idle) socket.Dispose();
        }
    }

    private static async Task<Socket> ConnectFromAsync(IPAddress source, IPEndPoint target)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(source, 0));
        await socket.ConnectAsync(target);
        return socket;
    }
}
