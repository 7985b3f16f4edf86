using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using P2P.Daemon.Chain;
using P2P.Daemon.Network;
using P2P.Daemon.Node;
using Spectre.Console;

namespace P2P.Daemon.Cli;

/// <summary>
/// <c>p2pd status</c>: one screen from the running daemon's API — identity, peers, head, epoch, sync (a progress bar while
/// syncing), hash rate, served and routable models, recent inference tasks and, where the node has them, validation outcomes.
/// </summary>
public static class StatusCommand
{
    /// <summary>Peers listed one per row; more are summarised in one line.</summary>
    public const int PeerRows = 8;

    public static Command Create() =>
        DaemonQueryCommand.Create("status", "Show the running daemon on one screen: peer id, peers, head, epoch, sync, hash rate, models, recent tasks", RunAsync);

    private static async Task<int> RunAsync(DaemonApiClient client, CancellationToken cancellation)
    {
        var status = await client.GetAsync<NodeStatusResponse>("api/v1/status", cancellation);
        if (status is null) return ExitCodes.Failure;

        var table = new Table().AddColumn("Field").AddColumn("Value");
        table.AddRow("Peer ID", Markup.Escape(status.PeerId));
        table.AddRow("Version", Markup.Escape(status.Version));
        table.AddRow("Uptime", FormatUptime(TimeSpan.FromSeconds(status.UptimeSeconds)));
        table.AddRow("Data directory", Markup.Escape(status.DataDirectory));
        table.AddRow("API", Markup.Escape(client.BaseAddress.ToString()));
        var network = await client.TryGetAsync<NetworkResponse>("api/v1/network", cancellation);
        foreach (var address in network?.ListenAddresses ?? [])
        {
            table.AddRow("Listen", Markup.Escape(address));
        }
        if (network is not null) table.AddRow("Connected peers", network.ConnectedPeers.ToString(CultureInfo.InvariantCulture));
        if (await client.TryGetAsync<PeersResponse>("api/v1/peers", cancellation) is { } peers) AddPeerRows(table, peers);
        // Chain rows only when the daemon runs a chain (the endpoints answer 404 otherwise).
        if (await client.TryGetAsync<ChainResponse>("api/v1/chain", cancellation) is { } chain)
        {
            table.AddRow("Head", $"{chain.Height} {chain.HeadHash[..16]}");
            var mining = await client.TryGetAsync<MiningResponse>("api/v1/mining", cancellation);
            var epoch = await client.TryGetAsync<EpochResponse>($"api/v1/epochs/{chain.Epoch}", cancellation);
            table.AddRow("Epoch", Markup.Escape(EpochLine(chain, epoch, mining?.RewardKey)));
            table.AddRow("Sync", Markup.Escape(SyncLine(chain)));
            table.AddRow("Hash rate", mining is { Enabled: true } ? string.Create(CultureInfo.InvariantCulture, $"{mining.HashesPerSecond:F0} nonces/s on {mining.Threads} thread(s), {mining.SharesFound} shares and {mining.BlocksFound} blocks found") : "not mining");
        }
        using (var inference = await client.TryGetAsync<JsonDocument>("api/v1/inference", cancellation))
        using (var models = await client.TryGetAsync<JsonDocument>("v1/models", cancellation))
        {
            AddInferenceRows(table, inference?.RootElement, models?.RootElement);
        }
        // Validation outcomes come with accountability's receipts API; a node without it answers 404 and the row is left out.
        using (var receipts = await client.TryGetAsync<JsonDocument>("api/v1/receipts", cancellation))
        {
            if (receipts is not null) table.AddRow("Validation", Markup.Escape(OutcomeSummary(ReceiptList(receipts.RootElement), "outcome")));
        }
        client.CreateConsole().Write(table);
        return ExitCodes.Success;
    }

    private static void AddPeerRows(Table table, PeersResponse peers)
    {
        foreach (var peer in peers.Peers.Take(PeerRows))
        {
            var latency = peer.LatencyMs is { } ms ? string.Create(CultureInfo.InvariantCulture, $"{ms:F1} ms") : "- ms";
            table.AddRow("  Peer", Markup.Escape($"{peer.PeerId}  {peer.Direction}  {latency}  {peer.AgentVersion ?? ""}"));
        }
        if (peers.Peers.Count > PeerRows) table.AddRow("  Peer", $"… and {peers.Peers.Count - PeerRows} more ('p2pd peers' lists them)");
    }

    /// <summary>"3 (blocks 73-96), this node's weight 41.2 % of 7 miners".</summary>
    public static string EpochLine(ChainResponse chain, EpochResponse? epoch, string? rewardKey)
    {
        var line = chain.Epoch.ToString(CultureInfo.InvariantCulture);
        if (epoch is null) return line;
        line += $" (blocks {epoch.FirstHeight}-{epoch.LastHeight})";
        var total = System.Numerics.BigInteger.Parse(epoch.TotalWeight, CultureInfo.InvariantCulture);
        if (rewardKey is null || total.IsZero) return line;
        var mine = epoch.Miners.FirstOrDefault(m => m.Key == rewardKey) is { } m ? System.Numerics.BigInteger.Parse(m.Weight, CultureInfo.InvariantCulture) : 0;
        double share = (double)(mine * 10000 / total) / 100;
        return line + string.Create(CultureInfo.InvariantCulture, $", this node's weight {share:F1} % of {epoch.Miners.Count} miner(s)");
    }

    private static void AddInferenceRows(Table table, JsonElement? inference, JsonElement? models)
    {
        if (inference is { } local && local.TryGetProperty("served", out var served))
        {
            var lines = served.EnumerateArray().Select(m => string.Create(CultureInfo.InvariantCulture,
                $"{m.GetProperty("spec").GetString()} layers [{m.GetProperty("start").GetInt32()},{m.GetProperty("end").GetInt32()}) {m.GetProperty("tokensPerSecond").GetDouble():F0} tok/s, {m.GetProperty("freeSlots").GetInt32()} free slot(s)")).ToList();
            table.AddRow("Served models", Markup.Escape(lines.Count == 0 ? "none" : string.Join("\n", lines)));
        }
        if (models is { } list && list.TryGetProperty("data", out var data))
        {
            var names = data.EnumerateArray().Select(m => string.Create(CultureInfo.InvariantCulture,
                $"{m.GetProperty("id").GetString()} ({m.GetProperty("whole_model_executors").GetInt32()} executor(s), {m.GetProperty("span_servers").GetInt32()} span server(s))")).ToList();
            table.AddRow("Routable models", Markup.Escape(names.Count == 0 ? "none yet (adverts arrive within the advert interval)" : string.Join("\n", names)));
        }
        if (inference is { } recent && recent.TryGetProperty("recentTasks", out var tasks))
            table.AddRow("Recent tasks", Markup.Escape(OutcomeSummary(tasks.EnumerateArray().ToList(), "outcome")));
    }

    private static List<JsonElement> ReceiptList(JsonElement receipts) =>
        receipts.ValueKind == JsonValueKind.Array ? receipts.EnumerateArray().ToList()
        : receipts.TryGetProperty("receipts", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList()
        : [];

    /// <summary>"12 (ok 10, timeout 2)": a count and the items per <paramref name="field"/> value.</summary>
    public static string OutcomeSummary(IReadOnlyList<JsonElement> items, string field)
    {
        if (items.Count == 0) return "none";
        var outcomes = items
            .Select(i => i.ValueKind == JsonValueKind.Object && i.TryGetProperty(field, out var v) ? v.ToString() : "?")
            .GroupBy(o => o)
            .OrderByDescending(g => g.Count())
            .Select(g => $"{g.Key} {g.Count()}");
        return $"{items.Count} ({string.Join(", ", outcomes)})";
    }

    /// <summary>"idle", or while syncing a progress bar: <c>syncing [#####-----] 512/1024 (50%)</c>.</summary>
    public static string SyncLine(ChainResponse chain)
    {
        if (chain.SyncState != "syncing" || chain.SyncTargetHeight == 0) return chain.SyncState;
        double fraction = Math.Min(1, (double)chain.Height / chain.SyncTargetHeight);
        int filled = (int)Math.Round(fraction * 20);
        return string.Create(CultureInfo.InvariantCulture,
            $"syncing [{new string('#', filled)}{new string('-', 20 - filled)}] {chain.Height}/{chain.SyncTargetHeight} ({fraction:P0}) from {chain.SyncPeers} peer(s)");
    }

    public static string FormatUptime(TimeSpan uptime) =>
        uptime.TotalDays >= 1 ? $"{(int)uptime.TotalDays}d {uptime:hh\\:mm\\:ss}" : uptime.ToString(@"hh\:mm\:ss");
}
