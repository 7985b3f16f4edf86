using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using P2P.Daemon.Api;

namespace P2P.Daemon.Node;

/// <summary>Node endpoints under <c>/api/v1</c>: status (public read) and shutdown (bearer token).</summary>
public static class NodeEndpoints
{
    public static IEndpointRouteBuilder MapNodeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1");
        group.MapGet("/status", (NodeInfo node, TimeProvider time) =>
            Results.Json(new NodeStatusResponse(node.PeerId, node.Version, Math.Round(node.Uptime(time).TotalSeconds, 3), node.StartedAt, node.DataDirectory)));
        group.MapPost("/shutdown", (HttpContext context, IHostApplicationLifetime lifetime, ILoggerFactory loggers) =>
        {
            loggers.CreateLogger(typeof(NodeEndpoints)).LogWarning("Shutdown requested over the API by {Remote}", context.Connection.RemoteIpAddress);
            // Stop after the response is sent; graceful shutdown then drains the remaining requests.
            context.Response.OnCompleted(() =>
            {
                lifetime.StopApplication();
                return Task.CompletedTask;
            });
            return Results.Json(new HealthResponse("stopping"), statusCode: StatusCodes.Status202Accepted);
        });
        return endpoints;
    }
}
