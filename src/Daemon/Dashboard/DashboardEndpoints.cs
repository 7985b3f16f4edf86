using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using P2P.Daemon.Api;

namespace P2P.Daemon.Dashboard;

/// <summary>
/// The dashboard at <c>/</c> (and its files under <c>/dashboard/</c>): static, embedded, offline. It reads the public
/// GET endpoints of <c>/api/v1</c> and the node's own <c>/v1</c> gateway, nothing else: the CSP allows only this origin.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>No inline script or style, no other origin, no framing: the page can only talk to its own node.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapDashboardEndpoints(this IEndpointRouteBuilder endpoints)
    {
        string[] reads = [HttpMethods.Get, HttpMethods.Head];
        endpoints.MapMethods("/", reads, (HttpContext http) => Serve(http, "index.html"));
        endpoints.MapMethods("/dashboard/{file}", reads, (HttpContext http, string file) => Serve(http, file));
        return endpoints;
    }

    private static IResult Serve(HttpContext http, string name)
    {
        if (DashboardAssets.Find(name) is not { } file)
            return Results.Json(ApiError.Of("not_found", $"no dashboard file {name}"), statusCode: StatusCodes.Status404NotFound);
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        return Results.Bytes(file.Content, file.ContentType);
    }
}
