using System.CommandLine;
using System.Runtime.InteropServices;
using P2P.Daemon.Devnet;

namespace P2P.Daemon.Cli;

/// <summary><c>p2pd devnet up | status | logs | stop | down</c>: a local swarm of mining daemons as detached child processes.</summary>
public static class DevnetCommand
{
    public const string DefaultDirectory = "devnet";

    public static Command Create()
    {
        var command = new Command("devnet", "A local devnet: N mining daemons on loopback ports, some serving the genesis model, one directory (default ./devnet)");
        command.Subcommands.Add(Up());
        command.Subcommands.Add(Simple("status", "Show each node: running or stopped, head height, peers, URLs", (control, cancellation) => control.StatusAsync(cancellation)));
        command.Subcommands.Add(Logs());
        command.Subcommands.Add(Simple("stop", "Stop every node (SIGTERM, SIGKILL after 15 s) and keep the data; 'up' restarts them", (control, _) => control.StopAsync()));
        command.Subcommands.Add(Simple("down", "Stop every node and remove the devnet directory", (control, _) => control.DownAsync()));
        return command;
    }

    private static Option<string> DirectoryOption() => new("--dir")
    {
        Description = "The devnet's directory",
        DefaultValueFactory = _ => DefaultDirectory,
        HelpName = "dir",
    };

    private static Command Up()
    {
        var directory = DirectoryOption();
        var nodes = new Option<int>("--nodes", "-n") { Description = "Number of daemons", DefaultValueFactory = _ => 4 };
        var serve = new Option<int?>("--serve") { Description = "How many of them serve the model (default: half, at least 2, never node 0)" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the first block and a routable model", DefaultValueFactory = _ => 120 };
        var foreground = new Option<bool>("--foreground") { Description = "Stay in the foreground after start-up; Ctrl-C then stops the devnet" };
        var command = new Command("up", "Create (or restart) the devnet, start its daemons and wait until they mine and serve; Ctrl-C while waiting stops them")
        {
            directory, nodes, serve, timeout, foreground,
        };
        command.SetAction(async (result, _) =>
        {
            var options = new DevnetUpOptions(result.GetValue(directory)!, result.GetValue(nodes), result.GetValue(serve), result.GetValue(timeout), result.GetValue(foreground));
            var launcher = new DevnetLauncher(result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, TimeProvider.System);
            return await WithStopSignalsAsync(cancellation => launcher.UpAsync(options, cancellation));
        });
        return command;
    }

    private static Command Logs()
    {
        var directory = DirectoryOption();
        var node = new Argument<string?>("node") { Description = "Node number (default: every node, lines prefixed)", Arity = ArgumentArity.ZeroOrOne };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until Ctrl-C" };
        var lines = new Option<int>("--lines") { Description = "Lines of each log to print first", DefaultValueFactory = _ => 100 };
        var command = new Command("logs", "Print the nodes' logs") { directory, node, follow, lines };
        command.SetAction(async (result, _) =>
        {
            var control = new DevnetControl(result.GetValue(directory)!, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
            return await WithStopSignalsAsync(cancellation => control.LogsAsync(result.GetValue(node), Math.Max(0, result.GetValue(lines)), result.GetValue(follow), cancellation));
        });
        return command;
    }

    private static Command Simple(string name, string description, Func<DevnetControl, CancellationToken, Task<int>> action)
    {
        var directory = DirectoryOption();
        var command = new Command(name, description) { directory };
        command.SetAction(async (result, _) =>
        {
            var control = new DevnetControl(result.GetValue(directory)!, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
            return await WithStopSignalsAsync(cancellation => action(control, cancellation));
        });
        return command;
    }

    /// <summary>
    /// SIGINT/SIGTERM cancel the token instead of ending the process, so that the command can stop what it started.
    /// (CliRoot turns System.CommandLine's own handling off for the daemon's sake.)
    /// </summary>
    private static async Task<int> WithStopSignalsAsync(Func<CancellationToken, Task<int>> action)
    {
        using var stop = new CancellationTokenSource();
        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        return await action(stop.Token);
    }
}
