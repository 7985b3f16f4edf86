using System.CommandLine;
using P2P.Daemon.Chain;
using Spectre.Console;

namespace P2P.Daemon.Cli;

/// <summary><c>p2pd epoch [n]</c>: an epoch's miners with their weights, rewards and forfeits (default: the head's epoch).</summary>
public static class EpochCommand
{
    public static Command Create()
    {
        var epoch = new Argument<string?>("n") { Description = "epoch number (default: the current one)", Arity = ArgumentArity.ZeroOrOne };
        return DaemonQueryCommand.Create("epoch", "Show an epoch's miners: weight, reward, forfeit", [epoch], async (result, client, cancellation) =>
        {
            var text = DaemonQueryCommand.Optional(result, epoch);
            ulong? number = null;
            if (text is not null)
            {
                if (!ulong.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
                {
                    client.Output.WriteLine($"p2pd: epoch '{text}' is not a number");
                    return ExitCodes.Configuration;
                }
                number = parsed;
            }
            if (number is null)
            {
                var chain = await client.GetAsync<ChainResponse>("api/v1/chain", cancellation);
                if (chain is null) return ExitCodes.Failure;
                number = chain.Epoch;
            }
            var record = await client.GetAsync<EpochResponse>($"api/v1/epochs/{number}", cancellation);
            if (record is null) return ExitCodes.Failure;
            client.Output.WriteLine($"epoch {record.Epoch} (heights {record.FirstHeight}-{record.LastHeight}), {(record.Closed ? "closed" : "open")}: scheduled {record.Scheduled}, issued {record.Issued}, forfeited {record.Forfeited}, total weight {record.TotalWeight}");
            var table = new Table().AddColumn("Miner").AddColumn("Weight").AddColumn("Reward").AddColumn("Forfeited");
            foreach (var miner in record.Miners) table.AddRow(miner.Key, miner.Weight, miner.Reward.ToString(System.Globalization.CultureInfo.InvariantCulture), miner.Forfeited ? "yes" : "no");
            client.CreateConsole().Write(table);
            var v = record.Validation;
            client.Output.WriteLine($"validation: {v.Receipts} receipts, {v.Drawn} drawn, {v.Valid} final valid, {v.Invalid} final invalid, {v.MissedDeadlines} missed deadlines");
            foreach (var key in record.ForfeitedKeys) client.Output.WriteLine($"forfeited: {key}");
            foreach (var key in record.MissedDeadlines) client.Output.WriteLine($"missed a verdict deadline: {key}");
            return ExitCodes.Success;
        });
    }
}
