using System.Net;
using Microsoft.AspNetCore.Http;

namespace P2P.Daemon.Api;

/// <summary>
/// Answers 421 to requests whose <c>Host</c> header names neither <c>localhost</c>, the bound address nor one of
/// <c>Api:AllowedHosts</c>: a web page that rebinds its own DNS name to 127.0.0.1 must not read the API.
/// </summary>
public sealed class HostHeaderMiddleware(RequestDelegate next, ApiOptions options)
{
    private readonly HashSet<string> _allowedNames = new(options.AllowedHosts.Select(h => h.Trim().TrimEnd('.')).Append("localhost"), StringComparer.OrdinalIgnoreCase);
    private readonly IPAddress _bound = options.BindIPAddress();

    public Task InvokeAsync(HttpContext context)
    {
        var host = context.Request.Host;
        if (!host.HasValue || IsAllowed(host.Host)) return next(context);
        return ApiErrorMiddleware.WriteAsync(context, StatusCodes.Status421MisdirectedRequest, "host_not_allowed",
            $"the Host header '{host.Host}' is not this node's API; use localhost or {options.BindAddress}, or add the name to Api:AllowedHosts");
    }

    /// <summary>Names are checked against the list; IP literals cannot be rebound, so they only have to fit the bound address.</summary>
    public bool IsAllowed(string host)
    {
        var name = host.TrimEnd('.');
        if (_allowedNames.Contains(name)) return true;
        if (!IPAddress.TryParse(name.Trim('[', ']'), out var address)) return false;
        if (_bound.Equals(IPAddress.Any) || _bound.Equals(IPAddress.IPv6Any)) return true;
        return address.Equals(_bound) || (IPAddress.IsLoopback(_bound) && IPAddress.IsLoopback(address));
    }
}
