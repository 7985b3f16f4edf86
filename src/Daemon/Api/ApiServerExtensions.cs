using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace P2P.Daemon.Api;

/// <summary>Wires the HTTP API: the Kestrel listener, the error and token middleware, and each endpoint group.</summary>
public static class ApiServerExtensions
{
    public const long MaxRequestBodyBytes = 1 << 20;

    public static IWebHostBuilder UseDaemonApi(this IWebHostBuilder webHost, ApiOptions options)
    {
        webHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Node API bodies are small; endpoints that take more (inference prompts) raise it per endpoint.
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.Listen(options.BindIPAddress(), options.Port);
        });
        return webHost;
    }

    public static IServiceCollection AddDaemonApi(this IServiceCollection services, ApiToken token)
    {
        services.AddSingleton(token);
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.WriteIndented = false);
        return services;
    }

    /// <summary>
    /// The middleware every endpoint on the port goes through, and <c>/healthz</c>; each area maps its own
    /// endpoints (<c>Map&lt;Area&gt;Endpoints</c>, called by <c>Hosting.DaemonApplication</c>).
    /// Middleware order matters: errors outermost so that 401s, 404s and exceptions all get the JSON body;
    /// the Host check before anything answers, so that no endpoint on this port is readable through DNS rebinding.
    /// </summary>
    public static WebApplication UseDaemonApi(this WebApplication app)
    {
        app.UseMiddleware<ApiErrorMiddleware>();
        app.UseMiddleware<HostHeaderMiddleware>();
        app.UseMiddleware<BearerTokenMiddleware>();
        app.MapHealthEndpoints();
        return app;
    }
}
