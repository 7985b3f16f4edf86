using System.Globalization;
using System.Text.Json;

namespace P2P.Daemon.Devnet;

/// <summary>What the devnet commands print: the node table, the chat request to paste, log tails.</summary>
public static class DevnetReport
{
    public const string ChatPrompt = "Once upon a time";

    /// <summary>A tail reads at most this much of the end of a log.</summary>
    private const int TailBytes = 256 * 1024;

    /// <summary>The body of the printed chat completion (also what the tests send).</summary>
    public static string ChatBody(string model) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["model"] = model,
        ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = ChatPrompt } },
        ["max_tokens"] = 24,
    });

    /// <summary>A ready-to-paste curl (single quotes: the body holds no quote of its own).</summary>
    public static string Curl(DevnetNode gateway, string model) =>
        $"curl -s {gateway.ApiUrl}v1/chat/completions -H 'Content-Type: application/json' -d '{ChatBody(model)}'";

    public static void WriteTable(TextWriter output, DevnetManifest manifest, IReadOnlyDictionary<int, ulong?> heights, IReadOnlyDictionary<int, string>? states = null)
    {
        var rows = new List<string[]> { new[] { "node", "state", "height", "serves", "peer id", "API", "dashboard", "libp2p address" } };
        foreach (var node in manifest.Nodes)
        {
            rows.Add(
            [
                node.Name,
                states?.GetValueOrDefault(node.Index) ?? "running",
                heights.GetValueOrDefault(node.Index)?.ToString(CultureInfo.InvariantCulture) ?? "-",
                node.Serves ? "model" : "-",
                node.PeerId,
                node.ApiUrl + "api/v1",
                node.DashboardUrl.ToString(),
                node.ListenAddress,
            ]);
        }
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]))));
        }
    }

    /// <summary>The last <paramref name="count"/> lines of a log (read from its end, so that a large log costs little).</summary>
    public static IReadOnlyList<string> Tail(string path, int count)
    {
        if (!File.Exists(path)) return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long start = Math.Max(0, stream.Length - TailBytes);
        stream.Seek(start, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.None).ToList();
        if (start > 0 && lines.Count > 0) lines.RemoveAt(0);
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines.TakeLast(count).ToArray();
    }
}
