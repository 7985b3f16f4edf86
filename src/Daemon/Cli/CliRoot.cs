using System.CommandLine;

namespace P2P.Daemon.Cli;

/// <summary>The p2pd command line: one subcommand per file in this folder.</summary>
public static class CliRoot
{
    public static RootCommand Build()
    {
        var root = new RootCommand("p2pd — peer-to-peer daemon for a proof-of-work AI compute network");
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(PeersCommand.Create());
        root.Subcommands.Add(VersionCommand.Create());
        root.Subcommands.Add(StorageCrashCommand.Create());
        root.Subcommands.Add(InferCommand.Create());
        root.Subcommands.Add(WorkCommand.Create());
        root.Subcommands.Add(GenesisCommand.Create());
        root.Subcommands.Add(ChainCommand.Create());
        root.Subcommands.Add(EpochCommand.Create());
        root.Subcommands.Add(BalanceCommand.Create());
        root.Subcommands.Add(SendCommand.Create());
        root.Subcommands.Add(DevnetCommand.Create());
        root.Subcommands.Add(ReceiptsCommand.Create());
        return root;
    }

    /// <summary>Parses and runs; usage errors exit with <see cref="ExitCodes.Configuration"/> (2).</summary>
    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var result = Build().Parse(args);
        // The daemon's host handles SIGTERM/SIGINT itself; System.CommandLine must not race it.
        var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null, Output = output, Error = error };
        if (result.Errors.Count > 0)
        {
            foreach (var parseError in result.Errors) await error.WriteLineAsync($"p2pd: {parseError.Message}");
            await error.WriteLineAsync("run 'p2pd --help' for usage");
            return ExitCodes.Configuration;
        }
        return await result.InvokeAsync(configuration);
    }
}
