using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Metrics;

/// <summary><c>/metrics</c> on a real daemon that mines (devnet) and serves a seeded model.</summary>
public sealed class MetricsEndpointTests(MiningServingNode node) : IClassFixture<MiningServingNode>
{
    [Fact]
    public async Task Metrics_CountersMove_AsBlocksAreMined_AndAChatCompletionIsServed()
    {
        var first = await node.ScrapeAsync();
        Assert.True(first.Has("dotnet_gc_heap_total_allocated_bytes_total"), "runtime metrics missing");
        Assert.True(first.Sum("p2p_storage_size_bytes") > 0, "LevelDB size missing");
        Assert.True(first.Has("p2p_mining_hash_rate_per_second"), "hash rate missing");

        var mined = await node.ScrapeUntilAsync(s => s.Sum("p2p_chain_blocks_connected_total") >= first.Sum("p2p_chain_blocks_connected_total") + 1
            && s.Sum("p2p_chain_head_height") >= 1, TimeSpan.FromSeconds(120), "a mined block");
        Assert.True(mined.Sum("p2p_mining_nonces_total") > first.Sum("p2p_mining_nonces_total"));
        Assert.True(mined.Sum("p2p_chain_items_applied_total", "type=\"share\"") + mined.Sum("p2p_chain_shares_pooled_total") > 0, "no share counted");
        Assert.True(mined.Sum("p2p_gossip_messages_published_total", "topic=\"p2pd/blocks/1\"") >= 1, "the mined block was not gossiped");

        await node.WaitUntilServingAsync();
        var before = await node.ScrapeAsync();
        using var response = await node.Http.PostAsJsonAsync("v1/chat/completions", new
        {
            model = MiningServingNode.Model,
            messages = new[] { new { role = "user", content = "hello" } },
            max_tokens = 6,
        });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        var completionTokens = body.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
        Assert.True(completionTokens > 0);

        // The gateway's and the executor's counts are recorded as their streams end: wait for both.
        var served = await node.ScrapeUntilAsync(s => s.Sum("p2p_gateway_requests_total", "outcome=\"ok\"") >= before.Sum("p2p_gateway_requests_total", "outcome=\"ok\"") + 1
            && s.Sum("p2p_executor_requests_total", "kind=\"generate\"") >= before.Sum("p2p_executor_requests_total", "kind=\"generate\"") + 1,
            TimeSpan.FromSeconds(10), "the served request");
        Assert.Equal(before.Sum("p2p_gateway_tokens_total") + completionTokens, served.Sum("p2p_gateway_tokens_total"));
        Assert.Equal(before.Sum("p2p_gateway_time_to_first_token_seconds_count") + 1, served.Sum("p2p_gateway_time_to_first_token_seconds_count"));
        Assert.Equal(before.Sum("p2p_gateway_request_duration_seconds_count", "outcome=\"ok\"") + 1, served.Sum("p2p_gateway_request_duration_seconds_count", "outcome=\"ok\""));
        Assert.True(served.Sum("http_server_request_duration_seconds_count", "http_route=\"/v1/chat/completions\"") >= 1);
        // This node also executed it (its own executor is a candidate like any other).
        Assert.Equal(before.Sum("p2p_executor_requests_total", "kind=\"generate\"", "outcome=\"ok\"") + 1, served.Sum("p2p_executor_requests_total", "kind=\"generate\"", "outcome=\"ok\""));
        Assert.Equal(before.Sum("p2p_executor_tokens_total") + completionTokens, served.Sum("p2p_executor_tokens_total"));
    }

    [RequiresProgramFact("promtool")]
    public async Task Metrics_PassPromtoolCheck()
    {
        // After a block, so that the histograms and tagged counters of a busy node are in the exposition too.
        var scrape = await node.ScrapeUntilAsync(s => s.Sum("p2p_chain_blocks_connected_total") >= 1, TimeSpan.FromSeconds(120), "a mined block");
        var info = new ProcessStartInfo(RequiresProgramFactAttribute.Find("promtool")!, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var promtool = Process.Start(info)!;
        await promtool.StandardInput.WriteAsync(scrape.Text);
        promtool.StandardInput.Close();
        var output = await promtool.StandardError.ReadToEndAsync() + await promtool.StandardOutput.ReadToEndAsync();
        Assert.True(promtool.WaitForExit(30_000));
        Assert.True(promtool.ExitCode == 0, $"promtool check metrics: {output}");
    }

    [Fact]
    public async Task Metrics_EveryFamilyOfTheNode_IsListedInTheOperationsGuide()
    {
        var scrape = await node.ScrapeUntilAsync(s => s.Sum("p2p_chain_blocks_connected_total") >= 1, TimeSpan.FromSeconds(120), "a mined block");
        var guide = RepositoryRoot.Read("docs/operations.md");
        var families = Regex.Matches(scrape.Text, @"(?m)^# TYPE (p2p_\w+) ").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(families);
        foreach (var family in families) Assert.True(guide.Contains($"`{family}`", StringComparison.Ordinal), $"docs/operations.md \"Metrics\" does not list {family}");
    }

    [Fact]
    public async Task Metrics_RefuseAForeignHost_LikeEveryRouteOnThePort()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.Host = "attacker.example";
        using var response = await node.Http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.MisdirectedRequest, response.StatusCode);
    }
}
