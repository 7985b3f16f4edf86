using System.CommandLine;
using P2P.Daemon.Configuration;
using P2P.Daemon.Hosting;

namespace P2P.Daemon.Cli;

/// <summary>Options shared by the commands that read the data directory and configuration.</summary>
public static class CommonOptions
{
    public const string SettingsHelp =
        "Any setting can follow as --Section:Key=value (e.g. --Api:Port=9000); it overrides P2PD__Section__Key environment variables, which override the config file.";

    public static Option<string?> DataDirectory() => new("--data-dir")
    {
        Description = "Data directory (default: $P2PD_DATA_DIR, else /var/lib/p2pd as root under systemd, else ~/.local/share/p2pd)",
        HelpName = "dir",
    };

    public static Option<string?> ConfigFile() => new("--config")
    {
        Description = "Config file (default: <data-dir>/p2pd.json, optional)",
        HelpName = "file",
    };

    /// <summary>Loads settings from the parsed options, the environment and the remaining <c>--Section:Key=value</c> tokens.</summary>
    public static DaemonSettings LoadSettings(ParseResult result, Option<string?> dataDirectory, Option<string?> configFile) =>
        DaemonSettings.Load(result.GetValue(dataDirectory), result.GetValue(configFile), result.UnmatchedTokens, ProcessEnvironment.Current(), ConfigSections.All);
}
