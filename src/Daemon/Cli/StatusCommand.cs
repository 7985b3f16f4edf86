using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using P2P.Daemon.Api;
using P2P.Daemon.Configuration;
using Spectre.Console;

namespace P2P.Daemon.Cli;

/// <summary><c>p2pd status</c>: asks the running daemon's API and prints peer id, version, uptime and libp2p listen addresses.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var dataDirectory = CommonOptions.DataDirectory();
        var configFile = CommonOptions.ConfigFile();
        var command = new Command("status", "Show the running daemon's peer id, version and uptime (reads Api:Port and Api:BindAddress like 'run'). " + CommonOptions.SettingsHelp)
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Options.Add(dataDirectory);
        command.Options.Add(configFile);
        command.SetAction((result, cancellation) => RunAsync(result, dataDirectory, configFile, cancellation));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, Option<string?> dataDirectory, Option<string?> configFile, CancellationToken cancellation)
    {
        var output = result.InvocationConfiguration.Output;
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

        var baseAddress = ApiBaseAddress(settings.Get<ApiOptions>());
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        NodeStatusResponse? status;
        try
        {
            status = await http.GetFromJsonAsync<NodeStatusResponse>("api/v1/status", JsonSerializerOptions.Web, cancellation);
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException or JsonException)
        {
            error.WriteLine($"p2pd: no daemon answered at {baseAddress}: {failure.Message}");
            return ExitCodes.Failure;
        }
        if (status is null)
        {
            error.WriteLine($"p2pd: empty status from {baseAddress}");
            return ExitCodes.Failure;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = output == Console.Out && !Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = output == Console.Out && !Console.IsOutputRedirected ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (output != Console.Out || Console.IsOutputRedirected) console.Profile.Width = 200;
        var table = new Table().AddColumn("Field").AddColumn("Value");
        table.AddRow("Peer ID", Markup.Escape(status.PeerId));
        table.AddRow("Version", Markup.Escape(status.Version));
        table.AddRow("Uptime", FormatUptime(TimeSpan.FromSeconds(status.UptimeSeconds)));
        table.AddRow("Data directory", Markup.Escape(status.DataDirectory));
        table.AddRow("API", Markup.Escape(baseAddress.ToString()));
        var network = await TryGetNetworkAsync(http, cancellation);
        foreach (var address in network?.ListenAddresses ?? [])
        {
            table.AddRow("Listen", Markup.Escape(address));
        }
        console.Write(table);
        return ExitCodes.Success;
    }

    private static async Task<NetworkResponse?> TryGetNetworkAsync(HttpClient http, CancellationToken cancellation)
    {
        try
        {
            return await http.GetFromJsonAsync<NetworkResponse>("api/v1/network", JsonSerializerOptions.Web, cancellation);
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Where to reach the API: a wildcard bind address is reached through loopback.</summary>
    public static Uri ApiBaseAddress(ApiOptions api)
    {
        var address = api.BindIPAddress();
        if (address.Equals(IPAddress.Any)) address = IPAddress.Loopback;
        if (address.Equals(IPAddress.IPv6Any)) address = IPAddress.IPv6Loopback;
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return new Uri($"http://{host}:{api.Port}/");
    }

    public static string FormatUptime(TimeSpan uptime) =>
        uptime.TotalDays >= 1 ? $"{(int)uptime.TotalDays}d {uptime:hh\\:mm\\:ss}" : uptime.ToString(@"hh\:mm\:ss");
}
