using System.CommandLine;
using P2P.Daemon.Configuration;
using P2P.Daemon.Api;

namespace P2P.Daemon.Cli;

/// <summary>Builds a command that reads the settings like <c>run</c> and then queries the running daemon's HTTP API.</summary>
public static class DaemonQueryCommand
{
    public static Command Create(string name, string description, Func<DaemonApiClient, CancellationToken, Task<int>> query)
    {
        var dataDirectory = CommonOptions.DataDirectory();
        var configFile = CommonOptions.ConfigFile();
        var command = new Command(name, description + " (reads Api:Port and Api:BindAddress like 'run'). " + CommonOptions.SettingsHelp)
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Options.Add(dataDirectory);
        command.Options.Add(configFile);
        command.SetAction(async (result, cancellation) =>
        {
            var error = result.InvocationConfiguration.Error;
            DaemonSettings settings;
            try
            {
                settings = CommonOptions.LoadSettings(result, dataDirectory, configFile);
            }
            catch (ConfigurationException failure)
            {
                error.WriteLine($"p2pd: {failure.Message}");
                return ExitCodes.Configuration;
            }
            using var client = new DaemonApiClient(DaemonApiClient.ApiBaseAddress(settings.Get<ApiOptions>()), result.InvocationConfiguration.Output, error);
            return await query(client, cancellation);
        });
        return command;
    }
}
