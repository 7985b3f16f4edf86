using System.Net.Http.Json;
using System.Text.Json;

namespace P2P.Daemon.Devnet;

/// <summary>Reads one node's API for the devnet commands: any failure is "not yet" (null), never an exception.</summary>
public sealed class DevnetProbe(TimeSpan timeout) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = timeout };

    /// <summary>A probe for polling: a node that takes over 3 s is "not yet".</summary>
    public DevnetProbe()
        : this(TimeSpan.FromSeconds(3))
    {
    }

    public async Task<JsonElement?> GetAsync(DevnetNode node, string path, CancellationToken cancellation)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(node.ApiUrl, path), cancellation);
            if (!response.IsSuccessStatusCode) return null;
            return await response.Content.ReadFromJsonAsync<JsonElement>(cancellation);
        }
        catch (Exception failure) when (failure is HttpRequestException or JsonException || (failure is TaskCanceledException && !cancellation.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>The node's head height, or null when it runs no chain or does not answer.</summary>
    public async Task<ulong?> HeightAsync(DevnetNode node, CancellationToken cancellation) =>
        await GetAsync(node, "api/v1/chain", cancellation) is { } chain && chain.TryGetProperty("height", out var height) && height.TryGetUInt64(out var value) ? value : null;

    public async Task<int?> PeerCountAsync(DevnetNode node, CancellationToken cancellation) =>
        await GetAsync(node, "api/v1/network", cancellation) is { } network && network.TryGetProperty("connectedPeers", out var peers) && peers.TryGetInt32(out var count) ? count : null;

    /// <summary>How many other peers node <paramref name="node"/> has adverts from for <paramref name="modelName"/>.</summary>
    public async Task<int> ServersSeenAsync(DevnetNode node, string modelName, CancellationToken cancellation)
    {
        if (await GetAsync(node, "api/v1/inference/directory", cancellation) is not { } directory || !directory.TryGetProperty("adverts", out var adverts)) return 0;
        return adverts.EnumerateArray()
            .Where(a => a.GetProperty("name").GetString() == modelName && a.GetProperty("peerId").GetString() != node.PeerId)
            .Select(a => a.GetProperty("peerId").GetString())
            .Distinct()
            .Count();
    }

    public void Dispose() => _http.Dispose();
}
