using System.Text;
using P2P.Daemon.Chain;
using P2P.Daemon.Cli;
using P2P.Daemon.Tests.Devnet;

namespace P2P.Daemon.Tests.Cli;

/// <summary><c>p2pd status</c> on the nodes of a real 2-node devnet: one screen with peers, head, epoch, hash rate, models and tasks.</summary>
[Collection(DevnetCollection.Name)]
public sealed class StatusCommandTests
{
    private const string Model = "seed:preset=tiny,seed=1";

    [Fact]
    public async Task Status_ShowsPeersHeadEpochHashRateModelsAndTasks()
    {
        await using var devnet = await DevnetRun.UpAsync(2);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var chat = await http.PostAsync(devnet.ApiUrl(0) + "v1/chat/completions",
            new StringContent($$"""{"model":"{{Model}}","messages":[{"role":"user","content":"Hi"}],"max_tokens":4}""", Encoding.UTF8, "application/json"));
        Assert.True(chat.IsSuccessStatusCode, await chat.Content.ReadAsStringAsync());

        var gateway = await StatusOfAsync(devnet, 0);
        var server = await StatusOfAsync(devnet, 1);

        Assert.Contains(devnet.Nodes[1].GetProperty("peerId").GetString()!, gateway);
        Assert.Contains(devnet.Nodes[0].GetProperty("peerId").GetString()!, server);
        foreach (var screen in new[] { gateway, server })
        {
            Assert.Matches(@"Head\s+│ \d+ [0-9a-f]{16}", screen);
            Assert.Matches(@"Epoch\s+│ 0 \(blocks 1-24\)", screen);
            Assert.Matches(@"Sync\s+│ (idle|syncing)", screen);
            Assert.Matches(@"Hash rate\s+│ \d+ nonces/s on 1 thread\(s\)", screen);
            Assert.Matches(@"Routable models\s+│ " + System.Text.RegularExpressions.Regex.Escape(Model), screen);
        }
        Assert.Matches(@"Served models\s+│ none", gateway);
        Assert.Matches(@"Served models\s+│ " + System.Text.RegularExpressions.Regex.Escape(Model) + @" layers \[0,2\)", server);
        Assert.Matches(@"Recent tasks\s+│ 1 \(completed 1\)", gateway);
    }

    [Fact]
    public void SyncLine_DrawsAProgressBarWhileSyncing()
    {
        var syncing = Chain(height: 256, state: "syncing", target: 1024);
        Assert.Equal("syncing [#####---------------] 256/1024 (25%) from 3 peer(s)", StatusCommand.SyncLine(syncing).Replace(" %", "%", StringComparison.Ordinal));
        Assert.Equal("idle", StatusCommand.SyncLine(Chain(height: 1024, state: "idle", target: 0)));
    }

    private static ChainResponse Chain(ulong height, string state, ulong target) =>
        new("c", "p2p-devnet", "g", height, "h", "0", 0, 0, "1d00ffff", "d", state, target, 3, 0, 0, 0, 0, 5, 24);

    private static async Task<string> StatusOfAsync(DevnetRun devnet, int node)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var dataDirectory = devnet.Nodes[node].GetProperty("dataDirectory").GetString()!;
        var exit = await CliRoot.RunAsync(["status", "--data-dir", dataDirectory, $"--Api:Port={devnet.ApiUrl(node).Port}"], output, error);
        Assert.True(exit == 0, error.ToString());
        return output.ToString();
    }
}
