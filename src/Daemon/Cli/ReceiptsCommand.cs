using System.CommandLine;
using System.Globalization;
using P2P.Daemon.Accountability;
using Spectre.Console;

namespace P2P.Daemon.Cli;

/// <summary><c>p2pd receipts</c>: the newest receipts this gateway collected with their lottery and verdict outcome.</summary>
public static class ReceiptsCommand
{
    public static Command Create()
    {
        var limit = new Argument<string?>("count") { Description = "how many receipts, newest first (default 20, at most 1000)", Arity = ArgumentArity.ZeroOrOne };
        return DaemonQueryCommand.Create("receipts", "Show recent receipts of this gateway's tasks: executor, span, outcome", [limit], async (result, client, cancellation) =>
        {
            int count = 20;
            if (DaemonQueryCommand.Optional(result, limit) is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > 1000))
            {
                client.Output.WriteLine($"p2pd: count '{text}' is not a number of 1..1000");
                return ExitCodes.Configuration;
            }
            var receipts = await client.GetAsync<ReceiptsResponse>($"api/v1/receipts?limit={count}", cancellation);
            if (receipts is null) return ExitCodes.Failure;
            client.Output.WriteLine($"records kept {receipts.RecordsKept} ({receipts.RecordBytes} bytes); verdicts by this node: {receipts.VerdictsValid} valid, {receipts.VerdictsInvalid} invalid");
            client.Output.WriteLine($"published receipts awaiting a block {receipts.AwaitingBlock}; re-published {receipts.Republished}, landed {receipts.Landed}, given up {receipts.Expired + receipts.Evicted}");
            var table = new Table().AddColumn("Receipt").AddColumn("Task").AddColumn("Executor").AddColumn("Layers").AddColumn("State").AddColumn("Verdicts");
            foreach (var r in receipts.Receipts)
                table.AddRow(r.ReceiptId[..16], Markup.Escape(r.TaskId), r.ExecutorPeer.Length > 16 ? r.ExecutorPeer[^16..] : r.ExecutorPeer,
                    $"{r.Start}-{r.End}", r.State, r.Verdicts.ToString(CultureInfo.InvariantCulture));
            client.CreateConsole().Write(table);
            return ExitCodes.Success;
        });
    }
}
