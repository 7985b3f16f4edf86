using System.Net.Http.Json;
using System.Text.Json;
using P2P.Consensus.Genesis;
using P2P.Daemon.Cli;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Accountability;

/// <summary>
/// Real <c>p2pd run</c> processes that follow one test chain and serve stories260k: the devnet profile with 2-second
/// blocks at an easy start (as <c>ChainCluster</c>), epochs of 8 blocks, verdict deadlines of 4 blocks and the
/// devnet's full validation of the first 1000 receipts per epoch — a 100 % validation rate for the test.
/// </summary>
public sealed class AccountabilityCluster : IAsyncDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly List<Node> _nodes = [];
    private string? _bootstrap;

    public sealed record Node(string Name, string PeerId, int Port, DaemonProcess Process, HttpClient Http);

    public AccountabilityCluster()
    {
        Genesis = GenesisConfig.Devnet(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "p2p-acc") with
        {
            EpochLength = 8,
            TargetBlockSeconds = 2,
            InitialBits = 0x1f040000,
            AsertHalfLifeSeconds = 20,
            ShareShift = 3,
            ShareWindow = 4,
            IssuancePerEpoch = 1_000_000,
            VerdictDeadlineBlocks = 4,
        };
        GenesisFile = _temp.Sub("genesis.json");
        File.WriteAllText(GenesisFile, Genesis.ToJson());
    }

    public GenesisConfig Genesis { get; }
    public string GenesisFile { get; }

    public async Task<Node> StartAsync(string name, bool mining, params string[] extra)
    {
        var dataDirectory = _temp.Sub(name);
        var output = new StringWriter();
        Assert.Equal(0, InitCommand.Run(dataDirectory, force: false, output, new StringWriter()));
        var peerId = output.ToString().Split('\n').Single(l => l.Contains("peer id", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
        int port = FreePort.Next();
        var arguments = new List<string>
        {
            "run", "--data-dir", dataDirectory, $"--Api:Port={port}", $"--Chain:Genesis={GenesisFile}",
            $"--Mining:Enabled={(mining ? "true" : "false")}", "--Mining:Threads=1",
            "--Pubsub:HeartbeatIntervalMs=200", "--Discovery:DiscoveryIntervalSeconds=1",
            "--Inference:AdvertIntervalSeconds=1", "--Inference:ExecutorTimeoutSeconds=10", "--Inference:RequestTimeoutSeconds=40", "--Inference:Threads=1",
            "--Inference:Enabled=true", $"--Inference:Models:0:Model={Stories260kFactAttribute.ModelDirectory}", "--Accountability:PollMilliseconds=200",
        };
        if (_bootstrap is not null) arguments.Add($"--Network:BootstrapPeers:0={_bootstrap}");
        arguments.AddRange(extra);
        var process = DaemonProcess.Start([.. arguments]);
        await process.WaitUntilHealthyAsync(port);
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
        _bootstrap ??= (await http.GetFromJsonAsync<JsonElement>("api/v1/network")).GetProperty("listenAddresses")[0].GetString();
        var node = new Node(name, peerId, port, process, http);
        _nodes.Add(node);
        return node;
    }

    public static async Task<ulong> HeightAsync(Node node) => (await node.Http.GetFromJsonAsync<JsonElement>("api/v1/chain")).GetProperty("height").GetUInt64();

    /// <summary>Polls until <paramref name="condition"/> yields a value; fails with <paramref name="what"/> and the nodes' log tails after <paramref name="limit"/>.</summary>
    public async Task<T> UntilAsync<T>(Func<Task<T?>> condition, TimeSpan limit, string what) where T : class
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            if (await condition() is { } value) return value;
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{what} within {limit}:\n" + string.Join("\n", _nodes.Select(n => $"--- {n.Name}\n{string.Join("\n", (n.Process.StandardOutput + n.Process.StandardError).Split('\n').TakeLast(25))}")));
            }
            await Task.Delay(200);
        }
    }

    /// <summary>A completion through <paramref name="gateway"/>: its task id and the peers of its route.</summary>
    public static async Task<(string TaskId, string[] Route)> CompleteAsync(Node gateway, int[] prompt, float temperature, ulong seed, int maxTokens = 12)
    {
        using var response = await gateway.Http.PostAsJsonAsync("v1/completions", new { model = "stories260k", prompt, max_tokens = maxTokens, temperature, seed });
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return (json.GetProperty("id").GetString()!, [.. json.GetProperty("route").EnumerateArray().Select(r => r.GetProperty("peer_id").GetString()!)]);
    }

    /// <summary>The id of the receipt <paramref name="gateway"/> collected for <paramref name="taskId"/>, once it has.</summary>
    public Task<string> ReceiptOfAsync(Node gateway, string taskId) => UntilAsync(async () =>
    {
        var receipts = await gateway.Http.GetFromJsonAsync<JsonElement>("api/v1/receipts?limit=1000");
        return receipts.GetProperty("receipts").EnumerateArray().Where(r => r.GetProperty("taskId").GetString() == taskId)
            .Select(r => r.GetProperty("receiptId").GetString()).FirstOrDefault();
    }, TimeSpan.FromSeconds(20), $"no receipt collected for task {taskId}");

    /// <summary>Polls <c>/api/v1/receipts/{id}</c> until its state is one of <paramref name="states"/>.</summary>
    public async Task<JsonElement> ReceiptInStateAsync(Node node, string receiptId, TimeSpan limit, params string[] states) => (await UntilAsync(async () =>
    {
        using var response = await node.Http.GetAsync($"api/v1/receipts/{receiptId}");
        if (!response.IsSuccessStatusCode) return null;
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return states.Contains(json.GetProperty("state").GetString()) ? Tuple.Create(json) : null;
    }, limit, $"receipt {receiptId} did not reach {string.Join("/", states)}")).Item1;

    /// <summary>As <see cref="ReceiptInStateAsync"/>, but null when the limit runs out (a receipt signed as an epoch ends may miss its epoch's blocks).</summary>
    public static async Task<JsonElement?> TryReceiptInStateAsync(Node node, string receiptId, TimeSpan limit, params string[] states)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await node.Http.GetAsync($"api/v1/receipts/{receiptId}");
            if (response.IsSuccessStatusCode)
            {
                var json = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (states.Contains(json.GetProperty("state").GetString())) return json;
            }
            await Task.Delay(200);
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            node.Http.Dispose();
            await node.Process.DisposeAsync();
        }
        _temp.Dispose();
    }
}
