using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Devnet;

/// <summary>
/// <c>p2pd devnet</c> on real processes: the printed curl is answered, <c>status</c> lists the nodes, a second <c>up</c>
/// is refused, <c>stop</c> keeps the data, <c>up --foreground</c> restarts it and Ctrl-C stops it, <c>down</c> leaves nothing.
/// </summary>
[Collection(DevnetCollection.Name)]
public sealed partial class DevnetLifecycleTests
{
    [Fact]
    public async Task Lifecycle_UpCurlStatusStopForegroundRestartInterruptDown()
    {
        var devnet = await DevnetRun.UpAsync(3);
        var directory = devnet.Directory;
        var pids = new List<int>();
        try
        {
            pids.AddRange(devnet.Pids());
            Assert.Equal(3, pids.Count);
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

            var nodeLog = await DevnetRun.CommandAsync("logs", directory, "1", "--lines", "1000");
            Assert.Contains($"started: peer id {devnet.Nodes[1].GetProperty("peerId").GetString()}", nodeLog.StandardOutput);
            var allLogs = await DevnetRun.CommandAsync("logs", directory, "--lines", "1000");
            Assert.All(new[] { "[0] ", "[1] ", "[2] " }, prefix => Assert.Contains(prefix, allLogs.StandardOutput));

            var again = await DevnetRun.CommandAsync("up", directory);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("already running", again.StandardError);

            var stop = await DevnetRun.CommandAsync("stop", directory);
            Assert.True(stop.ExitCode == 0, stop.StandardError);
            Assert.All(pids, pid => Assert.False(Runs(pid), $"pid {pid} still runs after stop"));
            Assert.Contains("0 of 3 nodes running", (await DevnetRun.CommandAsync("status", directory)).StandardOutput);

            // The stopped devnet restarts with its data; Ctrl-C (SIGTERM where this process cannot pass SIGINT on) stops it again.
            await using var foreground = DaemonProcess.Start(["devnet", "up", "--dir", directory, "--foreground", "--timeout", "170"]);
            await foreground.WaitForOutputAsync("Ctrl-C stops the devnet", TimeSpan.FromSeconds(200));
            Assert.Contains("restarting the stopped devnet", foreground.StandardOutput);
            var restarted = devnet.Pids().ToList();
            pids.AddRange(restarted);
            Assert.All(restarted, pid => Assert.True(Runs(pid)));
            foreground.Signal(SigintFactAttribute.SigintIgnored() ? Posix.SigTerm : Posix.SigInt);
            Assert.True(await foreground.WaitForExitAsync(TimeSpan.FromSeconds(40)), foreground.StandardOutput);
            Assert.Equal(0, foreground.ExitCode);
            Assert.All(restarted, pid => Assert.False(Runs(pid), $"pid {pid} still runs after Ctrl-C"));
            Assert.True(File.Exists(Path.Combine(directory, "devnet.json")));
        }
        finally
        {
            var down = await DevnetRun.CommandAsync("down", directory);
            Assert.True(down.ExitCode == 0, down.StandardError);
        }
        Assert.False(Directory.Exists(directory));
        Assert.All(pids, pid => Assert.False(Runs(pid), $"pid {pid} still runs"));
        await devnet.DisposeAsync();
    }

    /// <summary>A live process has a command line; an exited one has none (or no /proc entry).</summary>
    private static bool Runs(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Length > 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^curl -s (?<url>\S+) -H 'Content-Type: application/json' -d '(?<body>[^']+)'$", RegexOptions.Multiline)]
    private static partial Regex CurlLine();

    [GeneratedRegex(@"^\d+\s+running \(pid \d+", RegexOptions.Multiline)]
    private static partial Regex RunningRow();
}
