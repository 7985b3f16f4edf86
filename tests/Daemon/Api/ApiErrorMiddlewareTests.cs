using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2P.Daemon.Api;

namespace P2P.Daemon.Tests.Api;

/// <summary>The error middleware on a real Kestrel listener, with endpoints that fail in each way.</summary>
public sealed class ApiErrorMiddlewareTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.UseMiddleware<ApiErrorMiddleware>();
        _app.MapGet("/throws", string () => throw new InvalidOperationException("secret internal detail"));
        _app.MapGet("/empty-400", () => Results.StatusCode(StatusCodes.Status400BadRequest));
        _app.MapGet("/own-error", () => Results.Json(ApiError.Of("custom", "mine"), statusCode: 409));
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    private async Task<(HttpStatusCode Status, string Code, string Message)> Call(HttpMethod method, string path)
    {
        using var response = await _http.SendAsync(new HttpRequestMessage(method, path));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        return (response.StatusCode, error.GetProperty("code").GetString()!, error.GetProperty("message").GetString()!);
    }

    [Fact]
    public async Task UnhandledException_Is500Json_WithoutTheExceptionText()
    {
        var (status, code, message) = await Call(HttpMethod.Get, "/throws");
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("internal_error", code);
        Assert.DoesNotContain("secret", message);
    }

    [Fact]
    public async Task EmptyErrorResponses_GetAJsonBody()
    {
        Assert.Equal((HttpStatusCode.BadRequest, "bad_request"), Pick(await Call(HttpMethod.Get, "/empty-400")));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), Pick(await Call(HttpMethod.Get, "/nowhere")));
        Assert.Equal((HttpStatusCode.MethodNotAllowed, "method_not_allowed"), Pick(await Call(HttpMethod.Delete, "/throws")));
    }

    [Fact]
    public async Task ErrorBodiesWrittenByEndpoints_AreLeftAlone()
    {
        Assert.Equal((HttpStatusCode.Conflict, "custom", "mine"), await Call(HttpMethod.Get, "/own-error"));
    }

    private static (HttpStatusCode, string) Pick((HttpStatusCode Status, string Code, string Message) result) => (result.Status, result.Code);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
