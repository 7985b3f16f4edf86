using System.CommandLine;
using System.Globalization;
using P2P.Daemon.Network;
using P2P.Daemon.Pubsub;
using Spectre.Console;

namespace P2P.Daemon.Cli;

/// <summary><c>p2pd peers</c>: asks the running daemon for its open libp2p connections and prints them.</summary>
public static class PeersCommand
{
    public static Command Create() =>
        DaemonQueryCommand.Create("peers", "List the running daemon's connected peers: peer id, address, direction, latency, gossipsub score, agent, protocols", RunAsync);

    private static async Task<int> RunAsync(DaemonApiClient client, CancellationToken cancellation)
    {
        var peers = await client.GetAsync<PeersResponse>("api/v1/peers", cancellation);
        if (peers is null) return ExitCodes.Failure;
        if (peers.Peers.Count == 0)
        {
            client.Output.WriteLine("no connected peers");
            return ExitCodes.Success;
        }
        // Scores are optional: a daemon without pubsub, or a failed second request, shows "-".
        var pubsub = await client.TryGetAsync<PubsubResponse>("api/v1/pubsub", cancellation);
        var scores = pubsub?.Peers.ToDictionary(p => p.PeerId, p => p.Score, StringComparer.Ordinal) ?? new Dictionary<string, double?>();

        var table = new Table().AddColumn("Peer ID").AddColumn("Address").AddColumn("Direction").AddColumn("Latency").AddColumn("Score").AddColumn("Agent").AddColumn("Protocols");
        foreach (var peer in peers.Peers)
        {
            table.AddRow(
                Markup.Escape(peer.PeerId),
                Markup.Escape(peer.Address),
                peer.Direction,
                peer.LatencyMs is { } ms ? string.Create(CultureInfo.InvariantCulture, $"{ms:F1} ms") : "-",
                scores.TryGetValue(peer.PeerId, out var score) && score is { } value ? value.ToString("F2", CultureInfo.InvariantCulture) : "-",
                Markup.Escape(peer.AgentVersion ?? "-"),
                Markup.Escape(string.Join(" ", peer.Protocols)));
        }
        client.CreateConsole().Write(table);
        client.Output.WriteLine(peers.Peers.Count == 1 ? "1 connection" : $"{peers.Peers.Count} connections");
        return ExitCodes.Success;
    }
}
