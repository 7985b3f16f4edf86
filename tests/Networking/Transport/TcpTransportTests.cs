using System.Net;
using System.Net.Sockets;
using P2P.Networking.Multiformats;
using P2P.Networking.Transport;

namespace P2P.Networking.Tests.Transport;

public class TcpTransportTests
{
    [Fact]
    public void ASecondListenerOnTheSamePort_IsRefused()
    {
        using var first = TcpTransport.Listen(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"));
        var port = ((IPEndPoint)first.LocalEndPoint!).Port;

        var error = Assert.Throws<SocketException>(() => TcpTransport.Listen(Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{port}")));
        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
    }

    [Fact]
    public async Task ThePort_CanBeBoundAgainWhileOldConnectionsLinger()
    {
        int port;
        using (var listener = TcpTransport.Listen(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")))
        {
            port = ((IPEndPoint)listener.LocalEndPoint!).Port;
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(IPAddress.Loopback, port);
            using var accepted = await listener.AcceptAsync();
            // The listening side closes first, leaving its end in TIME_WAIT, as after a daemon restart.
            accepted.Close();
            client.Close();
        }

        using var again = TcpTransport.Listen(Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{port}"));
        Assert.Equal(port, ((IPEndPoint)again.LocalEndPoint!).Port);
    }
}
