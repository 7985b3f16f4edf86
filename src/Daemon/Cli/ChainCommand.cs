using System.CommandLine;
using P2P.Daemon.Chain;
using Spectre.Console;

namespace P2P.Daemon.Cli;

/// <summary><c>p2pd chain</c>: the running daemon's chain: id, head, cumulative work, state digest, pools.</summary>
public static class ChainCommand
{
    public static Command Create() =>
        DaemonQueryCommand.Create("chain", "Show the running daemon's chain: chain id, head height and hash, cumulative work, state digest, sync state, pools", RunAsync);

    private static async Task<int> RunAsync(DaemonApiClient client, CancellationToken cancellation)
    {
        var chain = await client.GetAsync<ChainResponse>("api/v1/chain", cancellation);
        if (chain is null) return ExitCodes.Failure;
        var table = new Table().AddColumn("Field").AddColumn("Value");
        table.AddRow("Chain", Markup.Escape($"{chain.ChainName} {chain.ChainId}"));
        table.AddRow("Genesis", chain.GenesisHash);
        table.AddRow("Height", chain.Height.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("Head", chain.HeadHash);
        table.AddRow("Epoch", chain.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("Bits", chain.Bits);
        table.AddRow("Cumulative work", chain.CumulativeWork);
        table.AddRow("State digest", chain.StateDigest);
        table.AddRow("Sync", Markup.Escape(StatusCommand.SyncLine(chain)));
        table.AddRow("Pools", $"{chain.PooledShares} share(s), {chain.PooledTransfers} transfer(s), {chain.Orphans} orphan block(s)");
        client.CreateConsole().Write(table);
        return ExitCodes.Success;
    }
}
