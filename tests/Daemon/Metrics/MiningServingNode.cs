using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Metrics;

/// <summary>One real <c>p2pd run</c> on a devnet-profile chain that mines on one thread and serves a small seeded model (nothing downloaded); shared by the metrics tests.</summary>
public sealed class MiningServingNode : IAsyncLifetime
{
    public const string Model = "seed:preset=tiny,seed=7";

    private readonly TempDirectory _temp = new();
    private DaemonProcess? _process;

    public int Port { get; } = FreePort.Next();
    public HttpClient Http { get; private set; } = null!;
    public DaemonProcess Process => _process!;

    /// <summary>16× the devnet's initial target: a block within seconds even when the CI machine is loaded, instead of ≈ 5 s of one idle core.</summary>
    private const uint EasyInitialBits = 0x1F080000;

    public async Task InitializeAsync()
    {
        // A devnet-profile genesis of its own (timestamp now), made easier to mine; otherwise the devnet defaults.
        var genesisPath = _temp.Sub("genesis.json");
        await using (var genesis = await DaemonProcess.RunToExitAsync(["genesis", "new", "--profile", "devnet", "--out", genesisPath]))
            Assert.True(genesis.ExitCode == 0, genesis.StandardError);
        var config = JsonNode.Parse(File.ReadAllText(genesisPath))!;
        config["initialBits"] = EasyInitialBits;
        File.WriteAllText(genesisPath, config.ToJsonString());

        _process = DaemonProcess.Start(["run", "--init", $"--Chain:Genesis={genesisPath}", "--data-dir", _temp.Sub("node"), $"--Api:Port={Port}",
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
