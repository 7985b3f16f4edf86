using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Inference;

/// <summary>Acceptance 4: bad input gets OpenAI-style errors, a client that goes away frees executor sessions, a stalled executor costs at most its timeout.</summary>
public sealed class GatewayFaultTests
{
    [Stories260kFact]
    public async Task BadInput_GetsOpenAiErrors_DisconnectFreesSessions_StalledExecutorIsSkippedWithinTheTimeout()
    {
        await using var nodes = new InferenceNodes();
        var a = await nodes.StartAsync("a", "--Inference:MaxTokensLimit=400", "--Inference:MaxRequestBytes=4096");
        // b is the executor stalled below: its last advert must outlive the requests that look for it (at the common
        // 1 s interval it expires 3 s after the stall, and a gateway then never picks b), so it advertises every 30 s.
        var b = await nodes.StartAsync("b", [.. InferenceNodes.Serving(), "--Inference:AdvertIntervalSeconds=30"]);
        var c = await nodes.StartAsync("c", InferenceNodes.Serving());
        await InferenceNodes.WaitForAdvertsAsync(a, 2);

        await ExpectErrorAsync(a, "v1/chat/completions", "{\"model\": \"stories260k\", \"messages\": [", HttpStatusCode.BadRequest, "invalid_json");
        await ExpectErrorAsync(a, "v1/chat/completions", Json(new { model = "gpt-9", messages = new[] { new { role = "user", content = "hi" } } }), HttpStatusCode.NotFound, "model_not_found");
        await ExpectErrorAsync(a, "v1/completions", Json(new { model = "stories260k", prompt = "hi", max_tokens = 401 }), HttpStatusCode.BadRequest, "invalid_value", "max_tokens");
        await ExpectErrorAsync(a, "v1/completions", Json(new { model = "stories260k", prompt = Enumerable.Repeat(5, 600).ToArray(), max_tokens = 1 }), HttpStatusCode.BadRequest, "context_length_exceeded");
        await ExpectErrorAsync(a, "v1/chat/completions", Json(new { model = "stories260k", n = 2, messages = new[] { new { role = "user", content = "hi" } } }), HttpStatusCode.BadRequest, "unsupported_value", "n");
        await ExpectErrorAsync(a, "v1/completions", Json(new { model = "stories260k", prompt = new string('x', 5000) }), HttpStatusCode.RequestEntityTooLarge, "request_too_large");

        // A streaming client that reads one chunk and goes away: the executor's session and slot are freed.
        using (var request = new HttpRequestMessage(HttpMethod.Post, "v1/completions") { Content = new StringContent(Json(new { model = "stories260k", prompt = new[] { 1, 400 }, max_tokens = 400, temperature = 1, stream = true }), Encoding.UTF8, "application/json") })
        using (var response = await a.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64];
            Assert.True(await stream.ReadAsync(buffer) > 0);
        }
        foreach (var executor in new[] { b, c }) await WaitForIdleAsync(executor);

        // A stalled executor (SIGSTOP: connected, silent): every request still completes within about the executor timeout.
        b.Process.Signal(Posix.SigStop);
        try
        {
            bool failedOver = false;
            for (int i = 0; i < 12 && !failedOver; i++)
            {
                var clock = Stopwatch.StartNew();
                using var response = await a.Http.PostAsJsonAsync("v1/completions", new { model = "stories260k", prompt = new[] { 1, 300 }, max_tokens = 8, temperature = 0 });
                var json = await response.Content.ReadFromJsonAsync<JsonElement>();
                Assert.True(response.IsSuccessStatusCode, json.ToString());
                Assert.Equal(c.PeerId, json.GetProperty("route").EnumerateArray().Last().GetProperty("peer_id").GetString());
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"request took {clock.Elapsed}");
                failedOver = json.GetProperty("route").EnumerateArray().Any(h => h.GetProperty("peer_id").GetString() == b.PeerId);
            }
            Assert.True(failedOver, "the stalled executor was never tried");
        }
        finally
        {
            b.Process.Signal(Posix.SigCont);
        }
    }

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static async Task ExpectErrorAsync(InferenceNodes.Node gateway, string path, string body, HttpStatusCode status, string code, string? param = null)
    {
        using var response = await gateway.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(status == response.StatusCode, $"{path} {body[..Math.Min(80, body.Length)]}: {response.StatusCode} {json}");
        var error = json.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        if (param is not null) Assert.Equal(param, error.GetProperty("param").GetString());
    }

    private static async Task WaitForIdleAsync(InferenceNodes.Node executor)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var view = await executor.Http.GetFromJsonAsync<JsonElement>("api/v1/inference");
            var served = view.GetProperty("served")[0];
            if (view.GetProperty("activeSessions").GetInt32() == 0 && served.GetProperty("freeSlots").GetInt32() == served.GetProperty("maxSessions").GetInt32()) return;
            Assert.True(DateTime.UtcNow < deadline, $"{executor.Name} still holds sessions: {view}");
            await Task.Delay(50);
        }
    }
}
