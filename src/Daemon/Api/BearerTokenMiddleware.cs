using Microsoft.AspNetCore.Http;

namespace P2P.Daemon.Api;

/// <summary>Requires <c>Authorization: Bearer &lt;token&gt;</c> on every state-changing (non-GET/HEAD/OPTIONS) request under <c>/api</c>.</summary>
public sealed class BearerTokenMiddleware(RequestDelegate next, ApiToken token)
{
    private const string Scheme = "Bearer ";

    public Task InvokeAsync(HttpContext context)
    {
        if (!RequiresToken(context.Request)) return next(context);

        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0) return Reject(context, "missing_token", "this endpoint requires Authorization: Bearer <token> (the token is in api.token in the data directory)");
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || !token.Matches(header.AsSpan(Scheme.Length).Trim()))
            return Reject(context, "invalid_token", "the bearer token is not valid");
        return next(context);
    }

    public static bool RequiresToken(HttpRequest request) =>
        request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method);

    private static Task Reject(HttpContext context, string code, string message)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return ApiErrorMiddleware.WriteAsync(context, StatusCodes.Status401Unauthorized, code, message);
    }
}
