using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using P2P.Networking.Multiformats;

namespace P2P.Networking.Host;

/// <summary>Turns a wildcard listen address (0.0.0.0, ::) into the interface addresses peers can dial.</summary>
internal static class AddressExpansion
{
    public static IEnumerable<Multiaddr> Expand(IPEndPoint bound)
    {
        if (!bound.Address.Equals(IPAddress.Any) && !bound.Address.Equals(IPAddress.IPv6Any))
        {
            return [Multiaddr.FromEndPoint(bound)];
        }
        var family = bound.AddressFamily;
        var addresses = new List<IPAddress>();
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus != OperationalStatus.Up && nic.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                {
                    continue;
                }
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    var ip = unicast.Address;
                    if (ip.AddressFamily == family && !(family == AddressFamily.InterNetworkV6 && ip.IsIPv6LinkLocal))
                    {
                        addresses.Add(ip);
                    }
                }
            }
        }
        catch (NetworkInformationException)
        {
        }
        if (addresses.Count == 0)
        {
            addresses.Add(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback);
        }
        return addresses.Distinct().Select(ip => Multiaddr.FromEndPoint(new IPEndPoint(ip, bound.Port)));
    }
}
