using Microsoft.AspNetCore.Http;

namespace P2P.Daemon.Gateway.Access;

/// <summary>
/// When <c>Gateway:ApiKeysFile</c> is set, requires <c>Authorization: Bearer &lt;key&gt;</c> on <c>/v1/*</c> and answers
/// 401 with OpenAI's <c>invalid_api_key</c> error otherwise (the header OpenAI clients send from their <c>apiKey</c>).
/// </summary>
public sealed class GatewayApiKeyMiddleware(RequestDelegate next, GatewayApiKeys keys)
{
    private const string Scheme = "Bearer ";

    public Task InvokeAsync(HttpContext context)
    {
        if (!GatewayClient.IsGatewayPath(context.Request)) return next(context);
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
            return RejectAsync(context, "You didn't provide an API key. This gateway requires 'Authorization: Bearer <key>'.");
        var index = header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? keys.Match(header.AsSpan(Scheme.Length).Trim()) : -1;
        if (index < 0) return RejectAsync(context, "Incorrect API key provided.");
        GatewayClient.SetKey(context, index);
        return next(context);
    }

    private static Task RejectAsync(HttpContext context, string message)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return new OpenAiError(StatusCodes.Status401Unauthorized, "invalid_request_error", "invalid_api_key", message).ToResult().ExecuteAsync(context);
    }
}
