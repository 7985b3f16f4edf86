using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Inference;

/// <summary>
/// Acceptance 1 and 2 of the inference network: a gateway that serves nothing routes to executors that do, streams the
/// answer as OpenAI chunks, and a deterministic route gives the tokens and log-probs of <c>p2pd infer --deterministic</c>
/// whichever executor ran it.
/// </summary>
public sealed class GatewayRoutingTests
{
    private static readonly int[] Prompt = [1, 300, 301, 302, 303];

    [Stories260kFact]
    public async Task ChatToGatewayServingNothing_IsExecutedByAPeer_StreamedAsSse_AndEveryExecutorMatchesLocalDeterministicInfer()
    {
        await using var nodes = new InferenceNodes();
        var a = await nodes.StartAsync("a");
        var b = await nodes.StartAsync("b", InferenceNodes.Serving());
        var c = await nodes.StartAsync("c", InferenceNodes.Serving());
        await InferenceNodes.WaitForAdvertsAsync(a, 2);

        var models = await a.Http.GetFromJsonAsync<JsonElement>("v1/models");
        Assert.Equal("stories260k", models.GetProperty("data")[0].GetProperty("id").GetString());

        // A streamed chat completion: role chunk, content chunks, a finish reason, usage, [DONE].
        var body = JsonContent.Create(new
        {
            model = "stories260k",
            messages = new[] { new { role = "user", content = "Tell me a story" } },
            max_tokens = 12,
            temperature = 0,
            stream = true,
            stream_options = new { include_usage = true },
        });
        using var response = await a.Http.PostAsync("v1/chat/completions", body);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.Trim()).ToList();
        Assert.All(events, e => Assert.StartsWith("data: ", e));
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal("length", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(12, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        var executed = await LastRouteAsync(a);
        Assert.Contains(executed, new[] { b.PeerId, c.PeerId });

        // Deterministic routes: greedy and seeded sampling give the local engine's tokens and log-probs on either executor.
        foreach (var (temperature, seed) in new[] { (0f, 0UL), (0.9f, 7UL) })
        {
            var local = await InferenceNodes.InferLocallyAsync(InferenceNodes.Model, Prompt, 20, temperature, seed, 3);
            var expectedIds = local.GetProperty("ids").EnumerateArray().Select(t => t.GetInt32()).ToArray();
            var expectedLogProbs = local.GetProperty("logprobs").EnumerateArray().Select(l => l.GetProperty("logprob").GetSingle()).ToArray();
            var seen = new HashSet<string>();
            for (int attempt = 0; attempt < 30 && seen.Count < 2; attempt++)
            {
                using var completion = await a.Http.PostAsJsonAsync("v1/completions", new { model = "stories260k", prompt = Prompt, max_tokens = 20, temperature, seed, logprobs = 3 });
                var json = await completion.Content.ReadFromJsonAsync<JsonElement>();
                Assert.True(completion.IsSuccessStatusCode, json.ToString());
                var logprobs = json.GetProperty("choices")[0].GetProperty("logprobs");
                Assert.Equal(expectedIds, logprobs.GetProperty("token_ids").EnumerateArray().Select(t => t.GetInt32()).ToArray());
                Assert.Equal(expectedLogProbs, logprobs.GetProperty("token_logprobs").EnumerateArray().Select(t => t.GetSingle()).ToArray());
                seen.Add(json.GetProperty("route")[0].GetProperty("peer_id").GetString()!);
            }
            Assert.Equal(new[] { b.PeerId, c.PeerId }.Order(), seen.Order());
        }

        // p2pd infer --network sends the same request through the local gateway.
        var greedy = await InferenceNodes.InferLocallyAsync(InferenceNodes.Model, Prompt, 20, 0f, 0, 3);
        await using (var cli = await DaemonProcess.RunToExitAsync(["infer", "--network", "--api", $"http://127.0.0.1:{a.Port}/", "--model", "stories260k",
            "--prompt-ids", string.Join(",", Prompt), "--max-tokens", "20", "--temperature", "0", "--json", "--logprobs", "3"]))
        {
            Assert.True(cli.ExitCode == 0, cli.StandardError);
            var answer = JsonDocument.Parse(cli.StandardOutput.Trim()).RootElement;
            Assert.Equal(greedy.GetProperty("ids").EnumerateArray().Select(t => t.GetInt32()),
                answer.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("token_ids").EnumerateArray().Select(t => t.GetInt32()));
        }

        // Every accepted request was announced on p2pd/tasks/1, signed by the gateway: the executors see A's tasks.
        var view = await a.Http.GetFromJsonAsync<JsonElement>("api/v1/inference");
        var lastTask = view.GetProperty("recentTasks").EnumerateArray().Last().GetProperty("taskId").GetString();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var seenByB = await b.Http.GetFromJsonAsync<JsonElement>("api/v1/inference");
            var task = seenByB.GetProperty("seenTasks").EnumerateArray().FirstOrDefault(t => t.GetProperty("taskId").GetString() == lastTask);
            if (task.ValueKind == JsonValueKind.Object)
            {
                Assert.Equal(a.PeerId, task.GetProperty("gateway").GetString());
                Assert.Equal(64, task.GetProperty("requestHash").GetString()!.Length);
                Assert.Contains(task.GetProperty("route").EnumerateArray(), r => r.GetString()!.StartsWith(b.PeerId, StringComparison.Ordinal) || r.GetString()!.StartsWith(c.PeerId, StringComparison.Ordinal));
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"B never saw task {lastTask}: {seenByB}");
            await Task.Delay(100);
        }
    }

    [Stories260kFact]
    public async Task SeededStories15mShape_GivesTheSameTokensAndLogProbsOnEveryExecutorAsLocalDeterministicInfer()
    {
        const string seeded = "seed:preset=stories15m,seed=1";
        int[] prompt = [1, 450, 2501, 373];
        await using var nodes = new InferenceNodes();
        var a = await nodes.StartAsync("a");
        var b = await nodes.StartAsync("b", InferenceNodes.Serving(model: seeded));
        var c = await nodes.StartAsync("c", InferenceNodes.Serving(model: seeded));
        await InferenceNodes.WaitForAdvertsAsync(a, 2);

        var local = await InferenceNodes.InferLocallyAsync(seeded, prompt, 6, 0.7f, 9, 2);
        var expectedIds = local.GetProperty("ids").EnumerateArray().Select(t => t.GetInt32()).ToArray();
        var expectedLogProbs = local.GetProperty("logprobs").EnumerateArray().Select(l => l.GetProperty("logprob").GetSingle()).ToArray();
        var seen = new HashSet<string>();
        for (int attempt = 0; attempt < 30 && seen.Count < 2; attempt++)
        {
            using var completion = await a.Http.PostAsJsonAsync("v1/completions", new { model = seeded, prompt, max_tokens = 6, temperature = 0.7, seed = 9, logprobs = 2 });
            var json = await completion.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(completion.IsSuccessStatusCode, json.ToString());
            var logprobs = json.GetProperty("choices")[0].GetProperty("logprobs");
            Assert.Equal(expectedIds, logprobs.GetProperty("token_ids").EnumerateArray().Select(t => t.GetInt32()).ToArray());
            Assert.Equal(expectedLogProbs, logprobs.GetProperty("token_logprobs").EnumerateArray().Select(t => t.GetSingle()).ToArray());
            seen.Add(json.GetProperty("route")[0].GetProperty("peer_id").GetString()!);
        }
        Assert.Equal(new[] { b.PeerId, c.PeerId }.Order(), seen.Order());
    }

    private static async Task<string> LastRouteAsync(InferenceNodes.Node gateway)
    {
        var view = await gateway.Http.GetFromJsonAsync<JsonElement>("api/v1/inference");
        var task = view.GetProperty("recentTasks").EnumerateArray().Last();
        Assert.Equal("completed", task.GetProperty("outcome").GetString());
        return task.GetProperty("route")[0].GetProperty("peerId").GetString()!;
    }
}
