using System.CommandLine;
using System.Runtime.InteropServices;
using P2P.Daemon.Node;
using P2P.Storage;

namespace P2P.Daemon.Cli;

/// <summary><c>p2pd version</c>: the daemon version and the runtime and native libraries it runs on.</summary>
public static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the p2pd version, .NET runtime and LevelDB library version");
        command.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            output.WriteLine($"p2pd {DaemonVersion.Text}");
            output.WriteLine($"runtime  {RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})");
            output.WriteLine($"leveldb  {LevelDbVersion()}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string LevelDbVersion()
    {
        try
        {
            return LevelDatabase.LibraryVersion;
        }
        catch (LevelDbLibraryMissingException missing)
        {
            return missing.Message;
        }
    }
}
