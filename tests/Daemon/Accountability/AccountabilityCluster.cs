using System.Net.Http.Json;
using System.Text.Json;
using P2P.Consensus.Genesis;
using P2P.Daemon.Tests.Chain;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Accountability;

/// <summary>
/// A <see cref="ChainCluster"/> whose nodes serve stories260k with accountability on: the test genesis with epochs of
/// 8 blocks, the devnet's verdict deadline of 6 blocks and its full validation of the first 1000 receipts per epoch — a
/// 100 % validation rate for the test. Every node is bootstrapped to the first.
/// </summary>
/// <remarks>
/// An escalation validator sees the false verdict's block, re-runs the receipt and gossips its verdict, which the miner
/// takes into its next template (rebuilt on each block and every 2 s): here it lands 2 blocks after the false verdict.
/// A deadline of 4 left 2 blocks of margin, which a burst of 2-second blocks while a loaded machine slows the re-run can
/// use up; the escalation then misses and the liar's lone verdict stands.
/// </remarks>
public sealed class AccountabilityCluster : IAsyncDisposable
{
    private readonly ChainCluster _cluster;
    private string? _bootstrap;

    public AccountabilityCluster()
    {
        Genesis = ChainCluster.TestGenesis("p2p-acc", epochLength: 8);
        _cluster = new ChainCluster(Genesis,
            "--Inference:AdvertIntervalSeconds=1", "--Inference:ExecutorTimeoutSeconds=10", "--Inference:RequestTimeoutSeconds=40", "--Inference:Threads=1",
            "--Inference:Enabled=true", $"--Inference:Models:0:Model={Stories260kFactAttribute.ModelDirectory}", "--Accountability:PollMilliseconds=200")
        {
            HttpTimeout = TimeSpan.FromSeconds(60),
        };
    }

    public GenesisConfig Genesis { get; }

    public async Task<ChainTestNode> StartAsync(string name, bool mining, params string[] extra)
    {
        var node = await _cluster.StartAsync(name, mining, _bootstrap, extra);
        _bootstrap ??= await node.AddressAsync();
        return node;
    }

    public static async Task<ulong> HeightAsync(ChainTestNode node) => (await node.GetAsync("api/v1/chain")).GetProperty("height").GetUInt64();

    /// <summary>Polls until <paramref name="condition"/> yields a value; fails with <paramref name="what"/> and the nodes' log tails after <paramref name="limit"/>.</summary>
    public Task<T> UntilAsync<T>(Func<Task<T?>> condition, TimeSpan limit, string what) where T : class => _cluster.UntilAsync(condition, limit, what);

    /// <summary>Every line of the nodes' output that mentions <paramref name="text"/>, each prefixed with its node's name.</summary>
    public string LogLinesAbout(string text) => string.Join("\n", _cluster.Nodes.SelectMany(n => n.Logs.Split('\n').Where(l => l.Contains(text, StringComparison.Ordinal)).Select(l => $"[{n.Name}] {l}")));

    /// <summary>
    /// A completion through <paramref name="gateway"/>: its task id and the peers of its route. Like any client of the
    /// gateway it waits out a 429 for the Retry-After it is given (the tests send completions back to back, and the
    /// gateway's per-client bucket holds 100 with 10 a second after that), at most 30 times.
    /// </summary>
    public static async Task<(string TaskId, string[] Route)> CompleteAsync(ChainTestNode gateway, int[] prompt, float temperature, ulong seed, int maxTokens = 12)
    {
        for (int attempt = 0; ; attempt++)
        {
            using var response = await gateway.Http.PostAsJsonAsync("v1/completions", new { model = "stories260k", prompt, max_tokens = maxTokens, temperature, seed });
            var json = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests && attempt < 30)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                continue;
            }
            Assert.True(response.IsSuccessStatusCode, json.ToString());
            return (json.GetProperty("id").GetString()!, [.. json.GetProperty("route").EnumerateArray().Select(r => r.GetProperty("peer_id").GetString()!)]);
        }
    }

    /// <summary>The id of the receipt <paramref name="gateway"/> collected for <paramref name="taskId"/>, once it has.</summary>
    public Task<string> ReceiptOfAsync(ChainTestNode gateway, string taskId) => UntilAsync(async () =>
    {
        var receipts = await gateway.GetAsync("api/v1/receipts?limit=1000");
        return receipts.GetProperty("receipts").EnumerateArray().Where(r => r.GetProperty("taskId").GetString() == taskId)
            .Select(r => r.GetProperty("receiptId").GetString()).FirstOrDefault();
    }, TimeSpan.FromSeconds(20), $"no receipt collected for task {taskId}");

    /// <summary>Polls <c>/api/v1/receipts/{id}</c> until its state is one of <paramref name="states"/>.</summary>
    public async Task<JsonElement> ReceiptInStateAsync(ChainTestNode node, string receiptId, TimeSpan limit, params string[] states) => (await UntilAsync(async () =>
    {
        using var response = await node.Http.GetAsync($"api/v1/receipts/{receiptId}");
        if (!response.IsSuccessStatusCode) return null;
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return states.Contains(json.GetProperty("state").GetString()) ? Tuple.Create(json) : null;
    }, limit, $"receipt {receiptId} did not reach {string.Join("/", states)}")).Item1;

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();
}
