using System.CommandLine;
using P2P.Daemon.Api;
using P2P.Daemon.Configuration;
using P2P.Networking.Identity;

namespace P2P.Daemon.Cli;

/// <summary><c>p2pd init</c>: creates the data directory, the node key, the API token and a commented config file.</summary>
public static class InitCommand
{
    public static Command Create()
    {
        var dataDirectory = CommonOptions.DataDirectory();
        var force = new Option<bool>("--force") { Description = "Replace an existing node key and API token (the node gets a new peer id)" };
        var command = new Command("init", "Create the data directory, an Ed25519 node key (0600), an API token (0600) and a default config file");
        command.Options.Add(dataDirectory);
        command.Options.Add(force);
        command.SetAction(result => Run(result.GetValue(dataDirectory), result.GetValue(force), result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(string? dataDirectoryOption, bool force, TextWriter output, TextWriter error)
    {
        var environment = ProcessEnvironment.Current();
        var directory = DataDirectory.Resolve(dataDirectoryOption, environment.Variables, environment.IsRoot, environment.HomeDirectory);
        try
        {
            if (!Directory.Exists(directory.Path))
            {
                if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory.Path);
                else Directory.CreateDirectory(directory.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            if (File.Exists(directory.NodeKeyFile) && !force)
            {
                error.WriteLine($"p2pd: node key {directory.NodeKeyFile} already exists (peer id {DescribeExisting(directory.NodeKeyFile)}); " +
                                "pass --force to replace it, which gives this node a new peer id");
                return ExitCodes.Failure;
            }

            var key = Ed25519PrivateKey.Generate();
            NodeKeyFile.Save(directory.NodeKeyFile, key, overwrite: force);

            var tokenExists = File.Exists(directory.ApiTokenFile);
            if (!tokenExists || force) ApiToken.Generate().Write(directory.ApiTokenFile, overwrite: force);

            var configExists = File.Exists(directory.ConfigFile);
            if (!configExists) File.WriteAllText(directory.ConfigFile, DefaultConfigFile.Text);

            output.WriteLine($"initialised {directory.Path}");
            output.WriteLine($"  peer id    {key.PeerId}");
            output.WriteLine($"  node key   {directory.NodeKeyFile}");
            output.WriteLine($"  API token  {directory.ApiTokenFile}{(tokenExists && !force ? " (kept)" : "")}");
            output.WriteLine($"  config     {directory.ConfigFile}{(configExists ? " (kept)" : "")}");
            return ExitCodes.Success;
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"p2pd: cannot initialise {directory.Path}: {failure.Message}");
            return ExitCodes.Failure;
        }
    }

    private static string DescribeExisting(string path)
    {
        try
        {
            return NodeKeyFile.Load(path).PeerId.ToString();
        }
        catch (Exception failure) when (failure is IOException or FormatException or UnauthorizedAccessException)
        {
            return "unreadable: " + failure.Message;
        }
    }
}
