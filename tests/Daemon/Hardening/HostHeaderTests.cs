using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using P2P.Daemon.Api;
using P2P.Daemon.Configuration;
using P2P.Daemon.Tests.Running;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Hardening;

/// <summary>Issue 11, item 7: a page that rebinds its DNS name to 127.0.0.1 gets 421, not the node's status.</summary>
public sealed class HostHeaderTests(RunningDaemonFixture fixture) : IClassFixture<RunningDaemonFixture>
{
    private async Task<HttpResponseMessage> GetWithHost(string path, string? host)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{fixture.Port}/{path}");
        if (host is not null) request.Headers.Host = host;
        return await http.SendAsync(request);
    }

    [Theory]
    [InlineData("api/v1/status")]
    [InlineData("api/v1/peers")]
    [InlineData("healthz")]
    public async Task AForeignHostName_Gets421WithAJsonReason(string path)
    {
        using var response = await GetWithHost(path, $"rebind.attacker.example:{fixture.Port}");
        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("host_not_allowed", error.GetProperty("code").GetString());
        Assert.Equal("the Host header 'rebind.attacker.example' is not this node's API; use localhost or 127.0.0.1, or add the name to Api:AllowedHosts",
            error.GetProperty("message").GetString());
        Assert.DoesNotContain(fixture.PeerId, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST.")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task LocalhostAndLoopbackAddresses_AreServed(string host)
    {
        using var response = await GetWithHost("api/v1/status", $"{host}:{fixture.Port}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(fixture.PeerId, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void ConfiguredNamesAndTheBoundAddress_AreAllowed_OtherAddressesAreNot()
    {
        var options = new ApiOptions { BindAddress = "192.0.2.10", AllowedHosts = ["node.example.org"] };
        var middleware = new HostHeaderMiddleware(_ => Task.CompletedTask, options);
        Assert.True(middleware.IsAllowed("node.example.org"));
        Assert.True(middleware.IsAllowed("Node.Example.Org."));
        Assert.True(middleware.IsAllowed("192.0.2.10"));
        Assert.True(middleware.IsAllowed("localhost"));
        Assert.False(middleware.IsAllowed("127.0.0.1"));
        Assert.False(middleware.IsAllowed("192.0.2.11"));
        Assert.False(middleware.IsAllowed("evil.example.org"));

        var wildcard = new HostHeaderMiddleware(_ => Task.CompletedTask, new ApiOptions { BindAddress = "0.0.0.0" });
        Assert.True(wildcard.IsAllowed("198.51.100.4"));
        Assert.False(wildcard.IsAllowed("rebind.example"));
    }

    [Fact]
    public async Task BindingBeyondLoopback_LogsAWarningAtStart_AndOneForAnOpenGateway()
    {
        using var temp = new TempDirectory();
        var data = temp.Sub("data");
        var port = FreePort.Next();
        await using var daemon = DaemonProcess.Start(["run", "--init", "--data-dir", data, $"--Api:Port={port}", "--Api:BindAddress=0.0.0.0"]);
        await daemon.WaitUntilHealthyAsync(port);
        await daemon.WaitForOutputAsync("beyond loopback", TimeSpan.FromSeconds(20));
        Assert.Contains("set Api:BindAddress=127.0.0.1", daemon.StandardOutput);
        // No Gateway:ApiKeysFile: the daemon runs (see docs/operations.md, 'Exposing a gateway') but says /v1/* is open.
        await daemon.WaitForOutputAsync("set Gateway:ApiKeysFile", TimeSpan.FromSeconds(20));
        Assert.Contains("(/v1/*)", daemon.StandardOutput);
    }

    [Fact]
    public void AnAllowedHostWithASchemeOrPort_IsAConfigurationError()
    {
        var problem = Assert.Single(new ApiOptions { AllowedHosts = ["http://node.example.org:9480"] }.Validate(new DataDirectory("/tmp")));
        Assert.Equal("AllowedHosts:0", problem.Key);
    }
}
