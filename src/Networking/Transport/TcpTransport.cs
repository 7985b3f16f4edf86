using System.Net;
using System.Net.Sockets;
using P2P.Networking.Multiformats;

namespace P2P.Networking.Transport;

/// <summary>TCP dialing and listening for /ip4|ip6|dns|dns4|dns6/…/tcp/… addresses (DNS resolved at dial time).</summary>
public static class TcpTransport
{
    public static bool CanDial(Multiaddr address) => address.TryGetTcpTarget(out _, out _, out _);

    /// <exception cref="ArgumentException">not a TCP address.</exception>
    /// <exception cref="SocketException">no resolved address accepted the connection.</exception>
    public static async Task<SocketPipe> DialAsync(Multiaddr address, CancellationToken cancellationToken)
    {
        if (!address.TryGetTcpTarget(out var host, out var port, out var family))
        {
            throw new ArgumentException($"cannot dial {address}: not a TCP address");
        }
        IPAddress[] candidates = IPAddress.TryParse(host, out var ip)
            ? [ip]
            : (await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false))
                .Where(a => family == AddressFamily.Unspecified || a.AddressFamily == family).ToArray();
        if (candidates.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }
        SocketException? last = null;
        foreach (var candidate in candidates)
        {
            var socket = new Socket(candidate.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(candidate, port), cancellationToken).ConfigureAwait(false);
                return new SocketPipe(socket);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }

    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    /// <summary>Binds and listens on an /ip4|ip6/…/tcp/… address (port 0 picks a free port).</summary>
    public static Socket Listen(Multiaddr address, int backlog = 512)
    {
        var endPoint = address.ToIPEndPoint() ?? throw new ArgumentException($"cannot listen on {address}: need /ip4 or /ip6 with /tcp");
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }
            // Plain SO_REUSEADDR (rebind over TIME_WAIT after a restart). .NET's ReuseAddress option also sets
            // SO_REUSEPORT on Linux, which would let a second daemon silently share the port.
            if (OperatingSystem.IsLinux())
            {
                socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            }
            socket.Bind(endPoint);
            socket.Listen(backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
