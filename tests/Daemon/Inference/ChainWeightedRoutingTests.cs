using System.Net.Http.Json;
using System.Text.Json;
using P2P.Daemon.Tests.Chain;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Inference;

/// <summary>With a chain, routing weighs executors by the last closed epoch's weight of their node key (a floor for the rest).</summary>
public sealed class ChainWeightedRoutingTests
{
    private const string Tiny = "seed:preset=tiny,seed=3";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task MinerWithTheEpochWeight_GetsTheRequests_AndANonMinerHasTheFloor()
    {
        using var temp = new TempDirectory();
        var genesis = temp.Sub("genesis.json");
        // Epochs of 2 easy 2-second blocks, so epoch 0 closes within seconds.
        File.WriteAllText(genesis, ChainCluster.TestGenesis("p2p-weights", epochLength: 2).ToJson());
        await using var nodes = new InferenceNodes();
        string[] serving = ["--Inference:Enabled=true", $"--Inference:Models:0:Model={Tiny}", $"--Chain:Genesis={genesis}"];
        var miner = await nodes.StartAsync("miner", [.. serving, "--Mining:Enabled=true", "--Mining:Threads=1"]);
        var idle = await nodes.StartAsync("idle", [.. serving, "--Mining:Enabled=false"]);
        await InferenceNodes.WaitForAdvertsAsync(idle, 2);

        // Once the idle node has seen epoch 0 close, the miner weighs all of it and the idle node the floor.
        var deadline = DateTime.UtcNow + Limit;
        JsonElement weights;
        while (true)
        {
            weights = (await idle.Http.GetFromJsonAsync<JsonElement>("api/v1/inference")).GetProperty("weights");
            if (weights.GetProperty("epoch").ValueKind == JsonValueKind.Number && WeightOf(weights, miner.PeerId) > 0.5) break;
            Assert.True(DateTime.UtcNow < deadline, $"the idle node never saw the miner's epoch weight: {weights}");
            await Task.Delay(200);
        }
        Assert.StartsWith("chain", weights.GetProperty("source").GetString());
        double floor = weights.GetProperty("floor").GetDouble();
        Assert.Equal(floor, WeightOf(weights, idle.PeerId));

        // The idle node's gateway could serve locally, but sends nearly every request to the weighted miner.
        var executors = new List<string>();
        for (int i = 0; i < 6; i++)
        {
            using var completion = await idle.Http.PostAsJsonAsync("v1/completions", new { model = Tiny, prompt = new[] { 1, 2, 3 }, max_tokens = 2, temperature = 0 });
            Assert.True(completion.IsSuccessStatusCode, await completion.Content.ReadAsStringAsync());
            executors.Add((await completion.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("route")[0].GetProperty("peer_id").GetString()!);
        }
        // P(3 or more of 6 on a 1 % executor) < 1e-4.
        Assert.True(executors.Count(e => e == miner.PeerId) >= 4, string.Join(", ", executors));
    }

    private static double WeightOf(JsonElement weights, string peerId) =>
        weights.GetProperty("executors").EnumerateArray().Where(e => e.GetProperty("peerId").GetString() == peerId).Select(e => e.GetProperty("weight").GetDouble()).DefaultIfEmpty(-1).First();
}
