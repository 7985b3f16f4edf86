using System.CommandLine;
using P2P.Daemon.Api;
using P2P.Daemon.Configuration;

namespace P2P.Daemon.Cli;

/// <summary>Builds a command that reads the settings like <c>run</c> and then queries the running daemon's HTTP API.</summary>
public static class DaemonQueryCommand
{
    public static Command Create(string name, string description, Func<DaemonApiClient, CancellationToken, Task<int>> query) =>
        Create(name, description, [], (_, client, cancellation) => query(client, cancellation));

    /// <summary>As above, with positional <paramref name="arguments"/> the query reads from the parse result.</summary>
    /// <summary>The value of an optional string argument, or null when absent or when it is really a setting token.</summary>
    public static string? Optional(ParseResult result, Argument<string?> argument) =>
        result.GetValue(argument) is { } value && !IsSetting(value) ? value : null;

    private static bool IsSetting(string token) => token.StartsWith("--", StringComparison.Ordinal);

    public static Command Create(string name, string description, IReadOnlyList<Argument> arguments, Func<ParseResult, DaemonApiClient, CancellationToken, Task<int>> query)
    {
        var dataDirectory = CommonOptions.DataDirectory();
        var configFile = CommonOptions.ConfigFile();
        var command = new Command(name, description + " (reads Api:Port and Api:BindAddress like 'run'). " + CommonOptions.SettingsHelp)
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Options.Add(dataDirectory);
        command.Options.Add(configFile);
        foreach (var argument in arguments) command.Arguments.Add(argument);
        command.SetAction(async (result, cancellation) =>
        {
            var error = result.InvocationConfiguration.Error;
            DaemonSettings settings;
            try
            {
                // An optional positional argument swallows a following --Section:Key=value token: hand it back to the settings.
                var leaked = arguments.OfType<Argument<string?>>().Select(a => result.GetValue(a)).OfType<string>().Where(IsSetting);
                settings = DaemonSettings.Load(result.GetValue(dataDirectory), result.GetValue(configFile), [.. result.UnmatchedTokens, .. leaked], ProcessEnvironment.Current(), Hosting.ConfigSections.All);
            }
            catch (ConfigurationException failure)
            {
                error.WriteLine($"p2pd: {failure.Message}");
                return ExitCodes.Configuration;
            }
            using var client = new DaemonApiClient(DaemonApiClient.ApiBaseAddress(settings.Get<ApiOptions>()), result.InvocationConfiguration.Output, error)
            {
                // State-changing calls (send) need the token; reading it is best effort, the daemon answers 401 without it.
                TokenFile = settings.DataDirectory.ApiTokenFile,
            };
            return await query(result, client, cancellation);
        });
        return command;
    }
}
