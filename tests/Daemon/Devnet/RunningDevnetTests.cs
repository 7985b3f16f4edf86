using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using P2P.Daemon.Cli;
using P2P.Daemon.Tests.Dashboard;
using Xunit.Abstractions;

namespace P2P.Daemon.Tests.Devnet;

/// <summary>
/// What a user looks at on a running 2-node devnet (real processes, one devnet for both tests): node 0's dashboard in a
/// real browser (headless chromium through playwright-core) and <c>p2pd status</c> on each node.
/// </summary>
[Collection(DevnetCollection.Name)]
public sealed class RunningDevnetTests(TwoNodeDevnet fixture, ITestOutputHelper log) : IClassFixture<TwoNodeDevnet>
{
    private const string Model = "seed:preset=tiny,seed=1";

    [Fact]
    public async Task Status_ShowsPeersHeadEpochHashRateModelsAndTasks()
    {
        var devnet = fixture.Run;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var chat = await http.PostAsync(devnet.ApiUrl(0) + "v1/chat/completions",
            new StringContent($$"""{"model":"{{Model}}","messages":[{"role":"user","content":"Hi"}],"max_tokens":4}""", Encoding.UTF8, "application/json"));
        Assert.True(chat.IsSuccessStatusCode, await chat.Content.ReadAsStringAsync());

        var gateway = await StatusOfAsync(devnet, 0);
        var server = await StatusOfAsync(devnet, 1);

        Assert.Contains(devnet.Nodes[1].GetProperty("peerId").GetString()!, gateway);
        Assert.Contains(devnet.Nodes[0].GetProperty("peerId").GetString()!, server);
        foreach (var screen in new[] { gateway, server })
        {
            Assert.Matches(@"Head\s+│ \d+ [0-9a-f]{16}", screen);
            Assert.Matches(@"Epoch\s+│ \d+ \(blocks \d+-\d+\)", screen);
            // Any sync state: the node polls its peers every 30 s and on every new peer, so the status can land mid-poll.
            Assert.Matches(@"Sync\s+│ (idle|polling|headers|bodies|syncing)", screen);
            Assert.Matches(@"Hash rate\s+│ \d+ nonces/s on 1 thread\(s\)", screen);
            Assert.Matches(@"Routable models\s+│ " + System.Text.RegularExpressions.Regex.Escape(Model), screen);
        }
        Assert.Matches(@"Served models\s+│ none", gateway);
        Assert.Matches(@"Served models\s+│ " + System.Text.RegularExpressions.Regex.Escape(Model) + @" layers \[0,2\)", server);
        Assert.Matches(@"Recent tasks\s+│ \d+ \(completed \d+\)", gateway);
    }

    [BrowserFact]
    public async Task Dashboard_ShowsPeersHeadAndChartsLiveStreamsChatAndStaysOnTheNode()
    {
        var devnet = fixture.Run;
        var dashboard = devnet.ApiUrl(0);
        var screenshot = Path.Combine(AppContext.BaseDirectory, "artifacts", $"dashboard-{DateTime.UtcNow:yyyyMMdd-HHmmss}.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);

        var findings = await RunBrowserAsync(dashboard, screenshot);
        log.WriteLine($"dashboard screenshot: {screenshot}");
        Console.WriteLine($"dashboard screenshot: {screenshot}");

        var seen = "the browser script saw: " + findings.GetRawText();
        Assert.Empty(findings.GetProperty("pageErrors").EnumerateArray());
        Assert.StartsWith("default-src 'none'", findings.GetProperty("csp").GetString());
        Assert.True(findings.GetProperty("peers").GetInt32() >= 1, seen);
        Assert.True(findings.GetProperty("hashrateChartPoints").GetInt32() >= 2, seen);
        Assert.True(findings.GetProperty("sharesChartBars").GetInt32() >= 1, seen);
        Assert.True(findings.GetProperty("nodeHeightAfter").GetInt32() > findings.GetProperty("pageHeightBefore").GetInt32(), seen);
        Assert.InRange(findings.GetProperty("pageLagMs").GetInt32(), 0, 10_000);
        Assert.StartsWith("done", findings.GetProperty("chatStatus").GetString());
        Assert.StartsWith("text/event-stream", findings.GetProperty("chatContentType").GetString());
        Assert.True(findings.GetProperty("chatChunks").GetInt32() >= 2, findings.GetProperty("chatStatus").GetString());
        Assert.False(string.IsNullOrEmpty(findings.GetProperty("chatText").GetString()));
        var requests = findings.GetProperty("requests").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.Contains(requests, r => r.EndsWith("/v1/chat/completions", StringComparison.Ordinal));
        Assert.All(requests, r => Assert.Equal(IPAddress.Loopback.ToString(), new Uri(r).Host));
        Assert.Empty(findings.GetProperty("offOrigin").EnumerateArray());
        Assert.True(File.Exists(screenshot) && new FileInfo(screenshot).Length > 0);
    }

    private static async Task<string> StatusOfAsync(DevnetRun devnet, int node)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var dataDirectory = devnet.Nodes[node].GetProperty("dataDirectory").GetString()!;
        var exit = await CliRoot.RunAsync(["status", "--data-dir", dataDirectory, $"--Api:Port={devnet.ApiUrl(node).Port}"], output, error);
        Assert.True(exit == 0, error.ToString());
        return output.ToString();
    }

    private static async Task<JsonElement> RunBrowserAsync(Uri dashboard, string screenshot)
    {
        var info = new ProcessStartInfo(BrowserFactAttribute.Node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = BrowserFactAttribute.JsDirectory,
        };
        info.ArgumentList.Add("dashboard.mjs");
        info.ArgumentList.Add(dashboard.ToString());
        info.ArgumentList.Add(screenshot);
        info.Environment["CHROMIUM"] = BrowserFactAttribute.Chromium;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Above the sum of the script's own bounds (about 8 minutes with the page load), so a slow step fails with its findings.
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(9));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the browser script did not finish within 9 minutes:\n{await stderr}");
        }
        Assert.True(process.ExitCode == 0, $"dashboard.mjs exited with {process.ExitCode}:\n{await stderr}\n{await stdout}");
        return JsonDocument.Parse((await stdout).Trim().Split('\n')[^1]).RootElement.Clone();
    }
}
