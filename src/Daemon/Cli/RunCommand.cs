using System.CommandLine;
using P2P.Daemon.Accountability;
using P2P.Daemon.Api;
using P2P.Daemon.Chain;
using P2P.Daemon.Configuration;
using P2P.Daemon.Hosting;
using P2P.Daemon.Storage;
using P2P.Networking.Identity;
using P2P.Storage;

namespace P2P.Daemon.Cli;

/// <summary><c>p2pd run</c>: the daemon, until SIGTERM/SIGINT or <c>POST /api/v1/shutdown</c>.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var dataDirectory = CommonOptions.DataDirectory();
        var configFile = CommonOptions.ConfigFile();
        var command = new Command("run", "Run the daemon in the foreground (systemd, Docker or a terminal). " + CommonOptions.SettingsHelp)
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        var initialise = new Option<bool>("--init") { Description = "Run 'p2pd init' first when the data directory has no node key (containers, devnets)" };
        command.Options.Add(dataDirectory);
        command.Options.Add(configFile);
        var devnet = new Option<bool>("--devnet") { Description = "Follow (and with Mining:Enabled=true mine) the built-in devnet chain: " + ChainGenesis.DevnetFileName + " in the data directory, written on first use" };
        command.Options.Add(initialise);
        command.Options.Add(devnet);
        var cheat = new Option<string?>("--unsafe-test-cheat")
        {
            Description = "TESTS ONLY: lie on purpose (perturb-logits, smaller-model, skip-layers, lie-invalid) so tests can prove cheats are caught; refused unless the genesis uses the devnet work profile",
            Hidden = true,
        };
        command.Options.Add(cheat);
        command.SetAction((result, _) => RunAsync(result, dataDirectory, configFile, result.GetValue(initialise), result.GetValue(devnet), result.GetValue(cheat)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, Option<string?> dataDirectory, Option<string?> configFile, bool initialise, bool devnet, string? cheat)
    {
        var error = result.InvocationConfiguration.Error;
        try
        {
            var settings = LoadSettings(result, dataDirectory, configFile, devnet, cheat);
            var directory = settings.DataDirectory;
            if (initialise) InitCommand.CreateDirectory(directory);
            if (!Directory.Exists(directory.Path))
                throw new ConfigurationException(directory.Path, $"data directory does not exist; run 'p2pd init --data-dir {directory.Path}' first");
            // Secrets are checked before anything is written, so that a refused start leaves the directory as it was.
            var complete = File.Exists(directory.NodeKeyFile) && File.Exists(directory.ApiTokenFile);
            var secrets = !initialise || complete ? ReadSecrets(directory) : null;
            // Held until the process exits: one daemon per data directory, whatever Storage:Path says.
            using var held = DataDirectoryLock.Acquire(directory);
            if (secrets is null)
            {
                var initialised = InitCommand.Initialise(directory, force: false, result.InvocationConfiguration.Output, error);
                if (initialised != ExitCodes.Success) return initialised;
                // The fresh default config file is now part of the configuration.
                settings = LoadSettings(result, dataDirectory, configFile, devnet, cheat);
                secrets = ReadSecrets(directory);
            }
            var (nodeKey, apiToken) = secrets!.Value;

            var genesis = ChainGenesis.Resolve(settings.Get<ChainOptions>(), directory, TimeProvider.System);
            UnsafeTestCheat.Check(settings.Get<AccountabilityOptions>(), genesis);
            using var database = DaemonStorage.Open(settings);
            var chain = genesis is null ? null : ChainStore.Open(database, genesis, directory);
            await using var app = DaemonApplication.Build(new DaemonContext(settings, nodeKey, apiToken, database, chain));
            // The host handles SIGTERM/SIGINT itself (graceful stop within Host:ShutdownTimeoutSeconds).
            await app.RunAsync();
            return ExitCodes.Success;
        }
        catch (ConfigurationException failure)
        {
            error.WriteLine($"p2pd: {failure.Message}");
            return ExitCodes.Configuration;
        }
        catch (DataDirectoryInUseException failure)
        {
            error.WriteLine($"p2pd: {failure.Message}");
            return ExitCodes.DataDirectoryInUse;
        }
        catch (IOException failure) when (failure.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            var api = CommonOptions.LoadSettings(result, dataDirectory, configFile).Get<ApiOptions>();
            error.WriteLine($"p2pd: the HTTP API cannot listen on {api.BindAddress}:{api.Port}: the port is in use (another p2pd? set Api:Port)");
            return ExitCodes.Failure;
        }
        catch (Exception failure) when (failure is LevelDbException or LevelDbLibraryMissingException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"p2pd: {failure.Message}");
            return ExitCodes.Failure;
        }
    }

    private static DaemonSettings LoadSettings(ParseResult result, Option<string?> dataDirectory, Option<string?> configFile, bool devnet, string? cheat)
    {
        var settings = CommonOptions.LoadSettings(result, dataDirectory, configFile);
        if (cheat is not null)
        {
            var accountability = settings.Get<AccountabilityOptions>();
            if (!P2P.InferenceNetwork.Cheats.ExecutorCheats.ByName.ContainsKey(cheat))
                throw new ConfigurationException("--unsafe-test-cheat", $"unknown test cheat '{cheat}' (known: {string.Join(", ", P2P.InferenceNetwork.Cheats.ExecutorCheats.ByName.Keys)})");
            accountability.UnsafeTestCheat = cheat;
        }
        if (devnet)
        {
            var chain = settings.Get<ChainOptions>();
            if (!string.IsNullOrEmpty(chain.Genesis)) throw new ConfigurationException("Chain:Genesis", "set either Chain:Genesis or --devnet, not both");
            chain.Devnet = true;
        }
        return settings;
    }

    private static (PrivateKey NodeKey, ApiToken ApiToken)? ReadSecrets(DataDirectory directory) =>
        (ReadSecret(directory.NodeKeyFile, "node key", NodeKeyFile.Load, directory), ReadSecret(directory.ApiTokenFile, "API token", ApiToken.Read, directory));

    private static T ReadSecret<T>(string path, string what, Func<string, T> read, DataDirectory directory)
    {
        if (!File.Exists(path))
        {
            var hint = File.Exists(directory.NodeKeyFile)
                ? $"run 'p2pd init --data-dir {directory.Path}' to write a new one (the node key and peer id are kept)"
                : $"run 'p2pd init --data-dir {directory.Path}' first";
            throw new ConfigurationException(path, $"{what} not found; {hint}");
        }
        try
        {
            SecretFileMode.Check(path, what);
            return read(path);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or InvalidDataException or FormatException or ArgumentException)
        {
            throw new ConfigurationException(path, $"{what} is not usable: {failure.Message}", failure);
        }
    }
}
