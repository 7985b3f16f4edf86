using System.Net.Http.Json;
using System.Text.Json;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Inference;

/// <summary>
/// Acceptance 3: stories260k split [0,2) on B and [2,5) on C and D; the answer through the gateway is bit-identical to the
/// whole model run locally, and killing the [2,5) server mid-generation hands its span to the other by replay.
/// </summary>
public sealed class ShardedRouteTests
{
    private static readonly int[] Prompt = [1, 400, 401, 402];

    [Stories260kFact]
    public async Task SpanRoute_MatchesLocalWholeModel_AndSurvivesKillingTheLastSpanServerMidGeneration()
    {
        const int maxTokens = 300;
        await using var nodes = new InferenceNodes();
        var a = await nodes.StartAsync("a");
        var b = await nodes.StartAsync("b", InferenceNodes.Serving("[0,2)"));
        var c = await nodes.StartAsync("c", InferenceNodes.Serving("[2,5)"));
        var d = await nodes.StartAsync("d", InferenceNodes.Serving("[2,5)"));
        await InferenceNodes.WaitForAdvertsAsync(a, 3);

        var local = await InferenceNodes.InferLocallyAsync(InferenceNodes.Model, Prompt, maxTokens, 0.8f, 11, 2);
        var expectedIds = local.GetProperty("ids").EnumerateArray().Select(t => t.GetInt32()).ToArray();
        var expectedLogProbs = local.GetProperty("logprobs").EnumerateArray().Select(l => l.GetProperty("logprob").GetSingle()).ToArray();
        Assert.True(expectedIds.Length > 50, $"the local run stopped after {expectedIds.Length} tokens: pick a prompt that runs longer");

        // Whole request on the span route: bit-identical to the local whole model.
        var first = await CompleteAsync(a, maxTokens);
        Assert.Equal(expectedIds, first.Ids);
        Assert.Equal(expectedLogProbs, first.LogProbs);
        Assert.Equal(2, first.Route.Length);

        // Again, killing the [2,5) server the route uses once generation is under way.
        var running = CompleteAsync(a, maxTokens);
        var victimId = await WaitForActiveSpanAsync(a, 2);
        var victim = victimId == c.PeerId ? c : d;
        victim.Process.Signal(Posix.SigKill);
        var second = await running;
        Assert.Equal(expectedIds, second.Ids);
        Assert.Equal(expectedLogProbs, second.LogProbs);
        var survivor = victim == c ? d : c;
        Assert.Contains(second.Route, r => r == survivor.PeerId);
        Assert.Contains(second.Route, r => r == victim.PeerId);
    }

    private static async Task<(int[] Ids, float[] LogProbs, string[] Route)> CompleteAsync(InferenceNodes.Node gateway, int maxTokens)
    {
        using var response = await gateway.Http.PostAsJsonAsync("v1/completions", new { model = "stories260k", prompt = Prompt, max_tokens = maxTokens, temperature = 0.8, seed = 11, logprobs = 2 });
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        var logprobs = json.GetProperty("choices")[0].GetProperty("logprobs");
        return (logprobs.GetProperty("token_ids").EnumerateArray().Select(t => t.GetInt32()).ToArray(),
            logprobs.GetProperty("token_logprobs").EnumerateArray().Select(t => t.GetSingle()).ToArray(),
            json.GetProperty("route").EnumerateArray().Select(r => r.GetProperty("peer_id").GetString()!).ToArray());
    }

    /// <summary>Polls the gateway until a request in progress has a hop starting at <paramref name="start"/>; returns its peer.</summary>
    private static async Task<string> WaitForActiveSpanAsync(InferenceNodes.Node gateway, int start)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var view = await gateway.Http.GetFromJsonAsync<JsonElement>("api/v1/inference");
            foreach (var active in view.GetProperty("activeRoutes").EnumerateArray())
                foreach (var hop in active.GetProperty("route").EnumerateArray())
                    if (hop.GetProperty("start").GetInt32() == start) return hop.GetProperty("peerId").GetString()!;
            Assert.True(DateTime.UtcNow < deadline, "no request in progress on the gateway");
            await Task.Delay(20);
        }
    }
}
