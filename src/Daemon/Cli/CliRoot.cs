using System.CommandLine;

namespace P2P.Daemon.Cli;

/// <summary>The p2pd command line: one subcommand per file in this folder.</summary>
public static class CliRoot
{
    public static RootCommand Build()
    {
        var root = new RootCommand("p2pd — peer-to-peer daemon for a proof-of-work AI compute network");
        root.Subcommands.Add(WorkCommand.Create());
        return root;
    }

    public static Task<int> RunAsync(string[] args) => Build().Parse(args).InvokeAsync();
}
