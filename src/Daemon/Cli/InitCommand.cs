using System.CommandLine;
using System.Text;
using P2P.Daemon.Api;
using P2P.Daemon.Configuration;
using P2P.Networking.Identity;
using P2P.Storage;

namespace P2P.Daemon.Cli;

/// <summary><c>p2pd init</c>: creates the data directory, the node key, the API token and a commented config file.</summary>
/// <remarks>
/// Crash-safe: each file is written to a temporary name and renamed into place, and the node key, whose presence
/// means "initialised", comes last. A crash at any moment leaves either no key (the next init starts afresh and
/// keeps what was already written) or a complete directory. A key without a token is repaired with a new token.
/// </remarks>
public static class InitCommand
{
    public static Command Create()
    {
        var dataDirectory = CommonOptions.DataDirectory();
        var force = new Option<bool>("--force") { Description = "Replace an existing node key and API token (the node gets a new peer id)" };
        var command = new Command("init", "Create the data directory, an Ed25519 node key (0600), an API token (0600) and a default config file; repair a directory whose API token is missing");
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
            CreateDirectory(directory);
            using var held = DataDirectoryLock.Acquire(directory);
            return Initialise(directory, force, output, error);
        }
        catch (DataDirectoryInUseException failure)
        {
            error.WriteLine($"p2pd: {failure.Message}; stop it before running init");
            return ExitCodes.DataDirectoryInUse;
        }
        catch (ConfigurationException failure)
        {
            error.WriteLine($"p2pd: {failure.Message}");
            return ExitCodes.Configuration;
        }
        catch (FormatException failure)
        {
            error.WriteLine($"p2pd: {directory.NodeKeyFile}: node key is not readable: {failure.Message}");
            return ExitCodes.Configuration;
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"p2pd: cannot initialise {directory.Path}: {failure.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Creates the data directory (mode 0700) when it does not exist.</summary>
    public static void CreateDirectory(DataDirectory directory)
    {
        if (Directory.Exists(directory.Path)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory.Path);
        else Directory.CreateDirectory(directory.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Initialises or repairs <paramref name="directory"/>; the caller holds its <see cref="DataDirectoryLock"/>.</summary>
    public static int Initialise(DataDirectory directory, bool force, TextWriter output, TextWriter error)
    {
        RemoveLeftoverTemporaries(directory);
        var keyExists = File.Exists(directory.NodeKeyFile);
        var tokenExists = File.Exists(directory.ApiTokenFile);
        if (keyExists && !force)
        {
            if (tokenExists)
            {
                error.WriteLine($"p2pd: node key {directory.NodeKeyFile} already exists (peer id {DescribeExisting(directory.NodeKeyFile)}); " +
                                "pass --force to replace it, which gives this node a new peer id");
                return ExitCodes.Failure;
            }
            var kept = NodeKeyFile.Load(directory.NodeKeyFile);
            ApiToken.Generate().Write(directory.ApiTokenFile, overwrite: false);
            var configWritten = WriteConfigIfMissing(directory);
            output.WriteLine($"repaired {directory.Path}: the API token was missing, so a new one was written; the node key is kept");
            output.WriteLine($"  peer id    {kept.PeerId} (kept)");
            output.WriteLine($"  API token  {directory.ApiTokenFile} (new)");
            output.WriteLine($"  config     {directory.ConfigFile}{(configWritten ? "" : " (kept)")}");
            return ExitCodes.Success;
        }

        var configCreated = WriteConfigIfMissing(directory);
        // The token goes before the key: a crash in between leaves no key, which the next init completes.
        var tokenKept = tokenExists && !force;
        if (!tokenKept) ApiToken.Generate().Write(directory.ApiTokenFile, overwrite: force);
        var key = Ed25519PrivateKey.Generate();
        NodeKeyFile.Save(directory.NodeKeyFile, key, overwrite: force);

        output.WriteLine($"initialised {directory.Path}");
        output.WriteLine($"  peer id    {key.PeerId}");
        output.WriteLine($"  node key   {directory.NodeKeyFile}");
        output.WriteLine($"  API token  {directory.ApiTokenFile}{(tokenKept ? " (kept)" : "")}");
        output.WriteLine($"  config     {directory.ConfigFile}{(configCreated ? "" : " (kept)")}");
        return ExitCodes.Success;
    }

    /// <summary>Writes the default config through a temporary file, so that a crash never leaves half a config file.</summary>
    private static bool WriteConfigIfMissing(DataDirectory directory)
    {
        if (File.Exists(directory.ConfigFile)) return false;
        var temporary = $"{directory.ConfigFile}.{Environment.ProcessId}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(Encoding.UTF8.GetBytes(DefaultConfigFile.Text));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, directory.ConfigFile, overwrite: false);
        }
        finally
        {
            File.Delete(temporary);
        }
        return true;
    }

    /// <summary>Temporary files of an init that was killed (<c>node.key.&lt;pid&gt;.tmp</c> …); safe to delete under the lock.</summary>
    private static void RemoveLeftoverTemporaries(DataDirectory directory)
    {
        foreach (var target in new[] { directory.NodeKeyFile, directory.ApiTokenFile, directory.ConfigFile })
        {
            foreach (var leftover in Directory.EnumerateFiles(directory.Path, Path.GetFileName(target) + ".*.tmp")) File.Delete(leftover);
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
