using System.Net.Http.Json;
using System.Text.Json;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Metrics;

/// <summary>One real <c>p2pd run --devnet</c> that mines on one thread and serves a small seeded model (nothing downloaded); shared by the metrics tests.</summary>
public sealed class MiningServingNode : IAsyncLifetime
{
    public const string Model = "seed:preset=tiny,seed=7";

    private readonly TempDirectory _temp = new();
    private DaemonProcess? _process;

    public int Port { get; } = FreePort.Next();
    public HttpClient Http { get; private set; } = null!;
    public DaemonProcess Process => _process!;

    public async Task InitializeAsync()
    {
        _process = DaemonProcess.Start(["run", "--init", "--devnet", "--data-dir", _temp.Sub("node"), $"--Api:Port={Port}",
            "--Mining:Enabled=true", "--Mining:Threads=1", "--Inference:Enabled=true", $"--Inference:Models:0:Model={Model}",
            "--Inference:Threads=1", "--Inference:AdvertIntervalSeconds=1", "--Metrics:ScrapeCacheMilliseconds=0"]);
        await _process.WaitUntilHealthyAsync(Port);
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task<PrometheusText> ScrapeAsync()
    {
        using var response = await Http.GetAsync("metrics");
        Assert.True(response.IsSuccessStatusCode, $"/metrics answered {(int)response.StatusCode}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Scrapes until <paramref name="condition"/> holds; fails with the last scrape after <paramref name="limit"/>.</summary>
    public async Task<PrometheusText> ScrapeUntilAsync(Func<PrometheusText, bool> condition, TimeSpan limit, string what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var scrape = await ScrapeAsync();
            if (condition(scrape)) return scrape;
            Assert.True(DateTime.UtcNow < deadline, $"{what} not seen within {limit}; last scrape:\n{scrape.Text}\nlog:\n{Process.StandardOutput}");
            await Task.Delay(200);
        }
    }

    /// <summary>Waits until the node's own gateway lists its model with an executor.</summary>
    public async Task WaitUntilServingAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var models = await Http.GetFromJsonAsync<JsonElement>("v1/models");
            if (models.GetProperty("data").EnumerateArray().Any(m => m.GetProperty("id").GetString() == Model && m.GetProperty("whole_model_executors").GetInt32() > 0)) return;
            Assert.True(DateTime.UtcNow < deadline, $"{Model} not served after 60 s: {models}");
            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_process is not null) await _process.DisposeAsync();
        _temp.Dispose();
    }
}
