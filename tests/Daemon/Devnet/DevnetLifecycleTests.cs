using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Devnet;

/// <summary><c>p2pd devnet up</c> on real processes: the printed curl is answered, <c>status</c> lists the nodes, <c>down</c> leaves nothing.</summary>
[Collection(DevnetCollection.Name)]
public sealed partial class DevnetLifecycleTests
{
    [Fact]
    public async Task UpCurlStatusDown_AnswersTheChatAndLeavesNothingBehind()
    {
        var devnet = await DevnetRun.UpAsync(3);
        var directory = devnet.Directory;
        int[] pids = [];
        try
        {
            pids = devnet.Pids().ToArray();
            Assert.Equal(3, pids.Length);
            Assert.Contains("devnet ready", devnet.UpOutput);
            // The table: one row per node with its peer id, API and libp2p address.
            foreach (var node in devnet.Nodes)
            {
                Assert.Contains(node.GetProperty("peerId").GetString()!, devnet.UpOutput);
                Assert.Contains($"/ip4/127.0.0.1/tcp/{node.GetProperty("p2pPort").GetInt32()}/p2p/", devnet.UpOutput);
            }
            Assert.False(devnet.Nodes[0].GetProperty("serves").GetBoolean());

            // The printed curl, sent with the same URL and body.
            var curl = CurlLine().Match(devnet.UpOutput);
            Assert.True(curl.Success, $"no curl line in:\n{devnet.UpOutput}");
            Assert.Equal(devnet.ApiUrl(0) + "v1/chat/completions", curl.Groups["url"].Value);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            using var response = await http.PostAsync(curl.Groups["url"].Value, new StringContent(curl.Groups["body"].Value, Encoding.UTF8, "application/json"));
            var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.IsSuccessStatusCode, answer.ToString());
            var choice = answer.GetProperty("choices")[0];
            Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
            Assert.False(string.IsNullOrEmpty(choice.GetProperty("message").GetProperty("content").GetString()));
            // Node 0 serves nothing: the answer came over the network from a serving node.
            var route = answer.GetProperty("route")[0].GetProperty("peer_id").GetString();
            Assert.Contains(devnet.Nodes.Skip(1), n => n.GetProperty("peerId").GetString() == route);

            var status = await DevnetRun.CommandAsync("status", directory);
            Assert.Equal(0, status.ExitCode);
            Assert.Contains("3 of 3 nodes running", status.StandardOutput);
            Assert.Equal(3, RunningRow().Matches(status.StandardOutput).Count);

            var again = await DevnetRun.CommandAsync("up", directory);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("already running", again.StandardError);
        }
        finally
        {
            var down = await DevnetRun.CommandAsync("down", directory);
            Assert.True(down.ExitCode == 0, down.StandardError);
        }
        Assert.False(Directory.Exists(directory));
        foreach (var pid in pids) Assert.False(File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Length > 0, $"pid {pid} still runs");
        await devnet.DisposeAsync();
    }

    [GeneratedRegex(@"^curl -s (?<url>\S+) -H 'Content-Type: application/json' -d '(?<body>[^']+)'$", RegexOptions.Multiline)]
    private static partial Regex CurlLine();

    [GeneratedRegex(@"^\d+\s+running \(pid \d+", RegexOptions.Multiline)]
    private static partial Regex RunningRow();
}
