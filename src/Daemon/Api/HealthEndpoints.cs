using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace P2P.Daemon.Api;

/// <summary><c>GET /healthz</c>: 200 while the daemon is up, for load balancers and container health checks.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Json(new HealthResponse("ok")));
        return endpoints;
    }
}
