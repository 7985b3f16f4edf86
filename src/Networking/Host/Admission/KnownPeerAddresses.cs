using System.Net;
using P2P.Networking.Core;

namespace P2P.Networking.Host.Admission;

/// <summary>Whether an IP address is one of the addresses the peer store holds for some peer.</summary>
public static class KnownPeerAddresses
{
    public static bool Contains(IPeerStore peers, IPAddress address)
    {
        foreach (var peer in peers.Peers)
        {
            foreach (var known in peers.GetAddresses(peer))
            {
                if (known.ToIPEndPoint() is { } endPoint && SubnetKey.Normalize(endPoint.Address).Equals(address)) return true;
            }
        }
        return false;
    }
}
