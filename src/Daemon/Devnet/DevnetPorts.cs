using System.Net;
using System.Net.Sockets;

namespace P2P.Daemon.Devnet;

/// <summary>Free loopback TCP ports, all held at once while choosing so that no two are the same.</summary>
public static class DevnetPorts
{
    public static IReadOnlyList<int> Take(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners) listener.Stop();
        }
    }
}
