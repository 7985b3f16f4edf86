using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using P2P.Daemon.Api;
using P2P.Daemon.Configuration;
using Spectre.Console;

namespace P2P.Daemon.Cli;

/// <summary><c>p2pd peers</c>: asks the running daemon for its open libp2p connections and prints them.</summary>
public static class PeersCommand
{
    public static Command Create()
    {
        var dataDirectory = CommonOptions.DataDirectory();
        var configFile = CommonOptions.ConfigFile();
        var command = new Command("peers", "List the running daemon's connected peers: peer id, address, direction, latency, gossipsub score, protocols. " + CommonOptions.SettingsHelp)
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

        var baseAddress = StatusCommand.ApiBaseAddress(settings.Get<ApiOptions>());
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        PeersResponse? peers;
        try
        {
            peers = await http.GetFromJsonAsync<PeersResponse>("api/v1/peers", JsonSerializerOptions.Web, cancellation);
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException or JsonException)
        {
            error.WriteLine($"p2pd: no daemon answered at {baseAddress}: {failure.Message}");
            return ExitCodes.Failure;
        }
        if (peers is null)
        {
            error.WriteLine($"p2pd: empty answer from {baseAddress}");
            return ExitCodes.Failure;
        }
        var scores = await GossipsubScoresAsync(http, cancellation);

        var redirected = output != Console.Out || Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (redirected) console.Profile.Width = 250;
        if (peers.Peers.Count == 0)
        {
            output.WriteLine("no connected peers");
            return ExitCodes.Success;
        }
        var table = new Table().AddColumn("Peer ID").AddColumn("Address").AddColumn("Direction").AddColumn("Latency").AddColumn("Score").AddColumn("Protocols");
        foreach (var peer in peers.Peers)
        {
            table.AddRow(
                Markup.Escape(peer.PeerId),
                Markup.Escape(peer.Address),
                peer.Direction,
                peer.LatencyMs is { } ms ? $"{ms:F1} ms" : "-",
                scores.TryGetValue(peer.PeerId, out var score) && score is { } value ? value.ToString("F2", System.Globalization.CultureInfo.InvariantCulture) : "-",
                Markup.Escape(string.Join(" ", peer.Protocols)));
        }
        console.Write(table);
        output.WriteLine($"{peers.Peers.Count} connection(s)");
        return ExitCodes.Success;
    }

    /// <summary>Each gossipsub peer's score by peer id; empty when the daemon does not answer <c>/api/v1/pubsub</c> (the column then shows "-").</summary>
    private static async Task<IReadOnlyDictionary<string, double?>> GossipsubScoresAsync(HttpClient http, CancellationToken cancellation)
    {
        try
        {
            var pubsub = await http.GetFromJsonAsync<PubsubResponse>("api/v1/pubsub", JsonSerializerOptions.Web, cancellation);
            return pubsub?.Peers.ToDictionary(p => p.PeerId, p => p.Score, StringComparer.Ordinal) ?? new Dictionary<string, double?>();
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException or JsonException)
        {
            return new Dictionary<string, double?>();
        }
    }
}
