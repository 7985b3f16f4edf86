using System.Net.Http.Json;
using System.Text.Json;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Chain;

/// <summary>One real <c>p2pd run</c> process on a test chain, with its data directory, API port, peer id (when known) and the arguments to start it again.</summary>
public sealed class ChainTestNode(string name, string dataDirectory, int apiPort, string[] arguments, string peerId = "", TimeSpan? httpTimeout = null) : IAsyncDisposable
{
    public string Name => name;
    public string PeerId => peerId;
    public string DataDirectory => dataDirectory;
    public int ApiPort => apiPort;
    public string[] Arguments => arguments;
    public DaemonProcess Process { get; set; } = DaemonProcess.Start(arguments);
    public HttpClient Http { get; } = new() { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/"), Timeout = httpTimeout ?? TimeSpan.FromSeconds(10) };

    public async Task<JsonElement> GetAsync(string path) => await Http.GetFromJsonAsync<JsonElement>(path);

    /// <summary>Height, head hash and state digest, or null while the API does not answer (starting, stopped).</summary>
    public async Task<(ulong Height, string Head, string Digest)?> TryHeadAsync()
    {
        try
        {
            var chain = await GetAsync("api/v1/chain");
            return (chain.GetProperty("height").GetUInt64(), chain.GetProperty("headHash").GetString()!, chain.GetProperty("stateDigest").GetString()!);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The main-chain block at <paramref name="height"/>: its hash, when this node applied it and how it came (null when it does not know).</summary>
    public async Task<(string Hash, DateTimeOffset? AppliedAt, string? AppliedFrom, JsonElement Block)> BlockAsync(ulong height)
    {
        var block = await GetAsync($"api/v1/blocks/{height}");
        var appliedAt = block.GetProperty("appliedAt");
        var from = block.GetProperty("appliedFrom");
        return (block.GetProperty("hash").GetString()!, appliedAt.ValueKind == JsonValueKind.Null ? null : appliedAt.GetDateTimeOffset(),
                from.ValueKind == JsonValueKind.Null ? null : from.GetString(), block);
    }

    public async Task<ulong> BalanceAsync(string key) => (await GetAsync($"api/v1/accounts/{key}")).GetProperty("balance").GetUInt64();

    public async Task<string> RewardKeyAsync() => (await GetAsync("api/v1/mining")).GetProperty("rewardKey").GetString()!;

    public async Task<string> AddressAsync() => (await GetAsync("api/v1/network")).GetProperty("listenAddresses")[0].GetString()!;

    public string Logs => Process.StandardOutput + Process.StandardError;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
    }
}
