using System.Net;
using System.Net.Sockets;

namespace P2P.Testing;

/// <summary>
/// A TCP port on 127.0.0.1 that is free now and that the kernel will not hand to anyone else: it is taken below Linux's
/// ephemeral range (32768–60999), so no socket bound to port 0 and no outgoing connection of a concurrent test can take
/// it between this call and the daemon's bind.
/// </summary>
public static class FreePort
{
    private const int First = 20000;
    private const int Count = 12000;

    // Each test process walks the range from its own starting point, so concurrent test processes rarely meet; a port
    // that is taken anyway fails the bind check below and is skipped.
    private static int _next = (Environment.ProcessId * 997) % Count;

    public static int Next()
    {
        for (int attempt = 0; attempt < Count; attempt++)
        {
            int port = First + (int)((uint)Interlocked.Increment(ref _next) % Count);
            if (IsFree(port)) return port;
        }
        throw new InvalidOperationException($"no free TCP port in {First}..{First + Count - 1} on 127.0.0.1");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Server.ExclusiveAddressUse = true;
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
