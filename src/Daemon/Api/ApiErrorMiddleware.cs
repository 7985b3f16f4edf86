using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace P2P.Daemon.Api;

/// <summary>Turns unhandled exceptions and empty error responses (404, 405, 400 …) into the JSON error body.</summary>
public sealed class ApiErrorMiddleware(RequestDelegate next, ILogger<ApiErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception error) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(error, "Unhandled error in {Method} {Path}", context.Request.Method, context.Request.Path);
            context.Response.Clear();
            await WriteAsync(context, StatusCodes.Status500InternalServerError, "internal_error", "internal error; see the daemon log");
            return;
        }

        var response = context.Response;
        if (response.StatusCode >= 400 && !response.HasStarted && response.ContentLength is null && response.ContentType is null)
        {
            var (code, message) = response.StatusCode switch
            {
                404 => ("not_found", $"no such endpoint: {context.Request.Method} {context.Request.Path}"),
                405 => ("method_not_allowed", $"{context.Request.Method} is not allowed on {context.Request.Path}"),
                _ => (ReasonCode(response.StatusCode), ReasonText(response.StatusCode)),
            };
            await WriteAsync(context, response.StatusCode, code, message);
        }
    }

    public static Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(ApiError.Of(code, message));
    }

    private static string ReasonText(int status) =>
        Enum.IsDefined(typeof(HttpStatusCode), status) ? ((HttpStatusCode)status).ToString() : $"HTTP {status}";

    private static string ReasonCode(int status) =>
        string.Concat(ReasonText(status).Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
