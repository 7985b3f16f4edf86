using System.CommandLine;
using P2P.Daemon.Chain;

namespace P2P.Daemon.Cli;

/// <summary><c>p2pd send TO AMOUNT [--fee F]</c>: the daemon signs a transfer with its node key and gossips it.</summary>
public static class SendCommand
{
    public static Command Create()
    {
        var to = new Argument<string>("to") { Description = "recipient: Ed25519 public key, 64 hex digits" };
        var amount = new Argument<ulong>("amount") { Description = "units to send" };
        var fee = new Option<ulong>("--fee") { Description = "fee paid to the including block's miner", DefaultValueFactory = _ => 0 };
        var command = DaemonQueryCommand.Create("send", "Send units from this node's key (signed by the daemon, uses the API token)", [to, amount], async (result, client, cancellation) =>
        {
            var sent = await client.PostAsync<TransferRequest, TransferResponse>("api/v1/transfers", new TransferRequest(result.GetValue(to), result.GetValue(amount), result.GetValue(fee)), cancellation);
            if (sent is null) return ExitCodes.Failure;
            client.Output.WriteLine($"sent {sent.Amount} (fee {sent.Fee}) from {sent.From} to {sent.To}, nonce {sent.Nonce}, transfer {sent.Id}");
            return ExitCodes.Success;
        });
        command.Options.Add(fee);
        return command;
    }
}
