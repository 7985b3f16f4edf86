using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using P2P.Networking.Host;

namespace P2P.Daemon.Network;

/// <summary>Network endpoints under <c>/api/v1</c> (public reads): our listen addresses and the open connections.</summary>
public static class NetworkEndpoints
{
    public static IEndpointRouteBuilder MapNetworkEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1");
        group.MapGet("/network", (Libp2pHost host) => Results.Json(new NetworkResponse(
            host.LocalPeerId.ToString(),
            host.ListenAddresses.Select(a => a.WithPeerId(host.LocalPeerId).ToString()).ToArray(),
            host.ConnectedPeers.Count)));
        group.MapGet("/peers", (Libp2pHost host) => Results.Json(new PeersResponse(host.Connections
            .OrderBy(c => c.OpenedAt)
            .Select(c => new PeerConnectionResponse(
                c.RemotePeer.ToString(),
                c.RemoteAddress.ToString(),
                c.Direction.ToString().ToLowerInvariant(),
                host.Peers.GetLatency(c.RemotePeer) is { } rtt ? Math.Round(rtt.TotalMilliseconds, 3) : null,
                host.Peers.GetProtocols(c.RemotePeer),
                host.Peers.GetAgentVersion(c.RemotePeer),
                c.OpenedAt))
            .ToArray())));
        return endpoints;
    }
}
