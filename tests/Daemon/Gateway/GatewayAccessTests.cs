using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using P2P.Daemon.Gateway.Access;
using P2P.Daemon.Tests.Inference;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Gateway;

/// <summary>One real <c>p2pd</c> with two bearer keys and a tiny rate limit: 401 and 429 bodies and headers, per-key partitions.</summary>
public sealed class GatewayAccessTests
{
    private const string KeyA = "sk-test-aaaaaaaaaaaaaaaaaaaaaaaa";
    private const string KeyB = "sk-test-bbbbbbbbbbbbbbbbbbbbbbbb";

    [Fact]
    public async Task KeysAndLimits_RefuseWithOpenAiErrors_AndPartitionPerKey()
    {
        await using var nodes = new InferenceNodes();
        using var keysDirectory = new TempDirectory();
        var keysFile = Path.Combine(keysDirectory.Path, "gateway.keys");
        File.WriteAllText(keysFile, $"# test keys\n{KeyA}\n{GatewayApiKeys.HashLine(KeyB)}\n");
        File.SetUnixFileMode(keysFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // One token a minute: after the burst of 3 the bucket stays empty for the rest of the test, however slow the machine.
        var node = await nodes.StartAsync("gw", $"--Gateway:ApiKeysFile={keysFile}", "--Gateway:RateLimitRequestsPerMinute=1", "--Gateway:RateLimitBurst=3");

        using var missing = await node.Http.GetAsync("v1/models");
        await AssertErrorAsync(missing, HttpStatusCode.Unauthorized, "invalid_request_error", "invalid_api_key");
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.Single().Scheme);
        using var wrong = await SendAsync(node, "v1/models", "sk-test-not-a-key-of-this-gateway");
        await AssertErrorAsync(wrong, HttpStatusCode.Unauthorized, "invalid_request_error", "invalid_api_key");
        using var health = await node.Http.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        var served = 0;
        HttpResponseMessage? refused = null;
        // Three are served from the full bucket; a fourth or (if a minute passed in between) fifth is refused.
        for (var i = 0; i < 6 && refused is null; i++)
        {
            var response = await SendAsync(node, "v1/models", KeyA);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused = response;
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                served++;
                response.Dispose();
            }
        }
        Assert.NotNull(refused);
        Assert.InRange(served, 3, 5);
        using (refused)
        {
            await AssertErrorAsync(refused, HttpStatusCode.TooManyRequests, "rate_limit_error", "rate_limit_exceeded");
            var retryAfter = refused.Headers.RetryAfter?.Delta;
            Assert.NotNull(retryAfter);
            Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        }

        // The other key is another client: its bucket is full.
        using var other = await SendAsync(node, "v1/models", KeyB);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal("list", (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("object").GetString());
    }

    private static Task<HttpResponseMessage> SendAsync(InferenceNodes.Node node, string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return node.Http.SendAsync(request);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string type, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
    }
}
