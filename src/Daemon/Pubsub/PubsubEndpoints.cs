using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using P2P.Networking.Discovery;
using P2P.Networking.Host;
using P2P.Networking.Pubsub;

namespace P2P.Daemon.Pubsub;

/// <summary><c>GET /api/v1/pubsub</c> (public read): gossipsub topics with their meshes, pubsub peers with their scores, and discovery.</summary>
public static class PubsubEndpoints
{
    public static IEndpointRouteBuilder MapPubsubEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/pubsub", (IPubSub pubsub, Libp2pHost host, KademliaDht dht, DiscoveryOptions discovery) => Results.Json(new PubsubResponse(
            pubsub.LocalPeer.ToString(),
            pubsub.Topics()
                .Select(t => new PubsubTopicResponse(t.Topic, t.Subscribed, t.Peers, t.MeshSize, t.Mesh, t.Fanout))
                .ToArray(),
            pubsub.Peers()
                .OrderBy(p => p.Peer, StringComparer.Ordinal)
                .Select(p => new PubsubPeerResponse(p.Peer, p.Protocol, p.Outbound ? "outbound" : "inbound", p.Topics, Score(p.Score)))
                .ToArray(),
            new DiscoveryResponse(discovery.Enabled, discovery.TargetPeers, host.ConnectedPeers.Count, dht.Table.Count))));
        return endpoints;
    }

    // JSON has no NaN or infinity; a score that is not finite is reported as null rather than failing the request.
    private static double? Score(double score) => double.IsFinite(score) ? Math.Round(score, 4) : null;
}
