using System.Diagnostics;
using System.Net;
using System.Text.Json;
using P2P.Daemon.Tests.Devnet;
using P2P.Daemon.Tests.Support;
using Xunit.Abstractions;

namespace P2P.Daemon.Tests.Dashboard;

/// <summary>A real browser (headless chromium through playwright-core) on node 0's dashboard of a running 2-node devnet.</summary>
[Collection(DevnetCollection.Name)]
public sealed class DashboardBrowserTests(ITestOutputHelper log)
{
    [BrowserFact]
    public async Task Dashboard_ShowsPeersHeadAndChartsLiveStreamsChatAndStaysOnTheNode()
    {
        await using var devnet = await DevnetRun.UpAsync(2);
        var dashboard = devnet.ApiUrl(0);
        var screenshot = Path.Combine(AppContext.BaseDirectory, "artifacts", $"dashboard-{DateTime.UtcNow:yyyyMMdd-HHmmss}.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);

        var findings = await RunBrowserAsync(dashboard, screenshot);
        log.WriteLine($"dashboard screenshot: {screenshot}");
        Console.WriteLine($"dashboard screenshot: {screenshot}");

        Assert.Empty(findings.GetProperty("pageErrors").EnumerateArray());
        Assert.StartsWith("default-src 'none'", findings.GetProperty("csp").GetString());
        Assert.True(findings.GetProperty("peers").GetInt32() >= 1);
        Assert.True(findings.GetProperty("hashrateChartPoints").GetInt32() >= 2);
        Assert.True(findings.GetProperty("sharesChartBars").GetInt32() >= 1);
        Assert.True(findings.GetProperty("nodeHeightAfter").GetInt32() > findings.GetProperty("pageHeightBefore").GetInt32());
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
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the browser script did not finish within 4 minutes:\n{await stderr}");
        }
        Assert.True(process.ExitCode == 0, $"dashboard.mjs exited with {process.ExitCode}:\n{await stderr}\n{await stdout}");
        return JsonDocument.Parse((await stdout).Trim().Split('\n')[^1]).RootElement.Clone();
    }
}
