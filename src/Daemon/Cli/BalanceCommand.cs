using System.CommandLine;
using P2P.Daemon.Chain;

namespace P2P.Daemon.Cli;

/// <summary><c>p2pd balance [key]</c>: an account's balance and nonce (default: the node's reward key).</summary>
public static class BalanceCommand
{
    public static Command Create()
    {
        var key = new Argument<string?>("key") { Description = "Ed25519 public key, 64 hex digits (default: this node's reward key)", Arity = ArgumentArity.ZeroOrOne };
        return DaemonQueryCommand.Create("balance", "Show an account's balance and nonce", [key], async (result, client, cancellation) =>
        {
            var account = await client.GetAsync<AccountResponse>($"api/v1/accounts/{DaemonQueryCommand.Optional(result, key) ?? "self"}", cancellation);
            if (account is null) return ExitCodes.Failure;
            client.Output.WriteLine($"{account.Key} balance {account.Balance} nonce {account.Nonce}{(account.PendingTransfers > 0 ? $" ({account.PendingTransfers} pending transfer(s))" : "")}");
            return ExitCodes.Success;
        });
    }
}
