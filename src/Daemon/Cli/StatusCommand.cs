using System.CommandLine;
using P2P.Daemon.Chain;
using P2P.Daemon.Network;
using P2P.Daemon.Node;
using Spectre.Console;

namespace P2P.Daemon.Cli;

/// <summary><c>p2pd status</c>: asks the running daemon's API and prints peer id, version, uptime and libp2p listen addresses.</summary>
public static class StatusCommand
{
    public static Command Create() =>
        DaemonQueryCommand.Create("status", "Show the running daemon's peer id, version, uptime and libp2p listen addresses", RunAsync);

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
        if (network is not null) table.AddRow("Connected peers", network.ConnectedPeers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Chain rows only when the daemon runs a chain (the endpoints answer 404 otherwise).
        if (await client.TryGetAsync<ChainResponse>("api/v1/chain", cancellation) is { } chain)
        {
            table.AddRow("Head", $"{chain.Height} {chain.HeadHash[..16]}");
            table.AddRow("Epoch", chain.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture));
            table.AddRow("Sync", Markup.Escape(SyncLine(chain)));
            var mining = await client.TryGetAsync<MiningResponse>("api/v1/mining", cancellation);
            table.AddRow("Hash rate", mining is { Enabled: true } ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{mining.HashesPerSecond:F0} nonces/s on {mining.Threads} thread(s)") : "not mining");
        }
        client.CreateConsole().Write(table);
        return ExitCodes.Success;
    }

    /// <summary>"idle", or while syncing a progress bar: <c>syncing [#####-----] 512/1024 (50%)</c>.</summary>
    public static string SyncLine(ChainResponse chain)
    {
        if (chain.SyncState != "syncing" || chain.SyncTargetHeight == 0) return chain.SyncState;
        double fraction = Math.Min(1, (double)chain.Height / chain.SyncTargetHeight);
        int filled = (int)Math.Round(fraction * 20);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"syncing [{new string('#', filled)}{new string('-', 20 - filled)}] {chain.Height}/{chain.SyncTargetHeight} ({fraction:P0}) from {chain.SyncPeers} peer(s)");
    }

    public static string FormatUptime(TimeSpan uptime) =>
        uptime.TotalDays >= 1 ? $"{(int)uptime.TotalDays}d {uptime:hh\\:mm\\:ss}" : uptime.ToString(@"hh\:mm\:ss");
}
