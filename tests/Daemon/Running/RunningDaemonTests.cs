using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using P2P.Daemon.Cli;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Running;

public sealed class RunningDaemonTests(RunningDaemonFixture fixture) : IClassFixture<RunningDaemonFixture>
{
    private HttpClient Client() => new() { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Port}/"), Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Healthz_AnswersOk()
    {
        using var http = Client();
        using var response = await http.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task StatusEndpoint_ReportsPeerIdVersionUptimeAndDataDirectory()
    {
        using var http = Client();
        var status = await http.GetFromJsonAsync<JsonElement>("api/v1/status");
        Assert.Equal(fixture.PeerId, status.GetProperty("peerId").GetString());
        Assert.StartsWith("12D3KooW", fixture.PeerId);
        Assert.StartsWith("0.1.0", status.GetProperty("version").GetString());
        Assert.True(status.GetProperty("uptimeSeconds").GetDouble() >= 0);
        Assert.Equal(fixture.DataDirectory, status.GetProperty("dataDirectory").GetString());
    }

    [Fact]
    public async Task StatusCommand_PrintsPeerIdVersionAndUptimeTable()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliRoot.RunAsync(["status", "--data-dir", fixture.DataDirectory, $"--Api:Port={fixture.Port}"], output, error);
        Assert.True(exit == 0, error.ToString());
        var text = output.ToString();
        Assert.Contains(fixture.PeerId, text);
        Assert.Matches(@"Uptime\s*│\s*\d{2}:\d{2}:\d{2}", text);
        Assert.Matches(@"Version\s*│\s*0\.1\.0", text);
    }

    [Fact]
    public async Task UnknownRoute_Returns404JsonError()
    {
        using var http = Client();
        using var response = await http.GetAsync("api/v1/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("not_found", error.GetProperty("code").GetString());
        Assert.Contains("/api/v1/no-such-thing", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task StateChangingCall_WithoutToken_Is401Json()
    {
        using var http = Client();
        using var response = await http.PostAsync("api/v1/shutdown", null);
        await AssertUnauthorized(response, "missing_token");
        Assert.False(fixture.Daemon.HasExited);
    }

    [Theory]
    [InlineData("Bearer", "not-the-token")]
    [InlineData("Basic", "use-the-real-token")]
    public async Task StateChangingCall_WithWrongToken_Is401Json(string scheme, string token)
    {
        using var http = Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/shutdown");
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token == "use-the-real-token" ? fixture.Token : token);
        using var response = await http.SendAsync(request);
        await AssertUnauthorized(response, "invalid_token");
        Assert.False(fixture.Daemon.HasExited);
    }

    [Fact]
    public async Task SecondDaemon_OnTheSameDataDirectory_ExitsWithInUseMessage()
    {
        await using var second = await DaemonProcess.RunToExitAsync(["run", "--data-dir", fixture.DataDirectory, $"--Api:Port={FreePort.Next()}"]);
        Assert.True(second.HasExited);
        Assert.Equal(ExitCodes.DataDirectoryInUse, second.ExitCode);
        Assert.Contains($"data directory {fixture.DataDirectory} is in use by another p2pd process", second.StandardError);
    }

    private static async Task AssertUnauthorized(HttpResponseMessage response, string code)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }
}
