using System.Net.Http.Json;
using System.Text.Json;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Accountability;

/// <summary>
/// Acceptance 1 and 2 of #15 on real processes: four nodes mine (two of them) and serve stories260k on a devnet that
/// validates every receipt; a completion's receipt and its verdict land in blocks and <c>/api/v1/receipts/{id}</c>
/// shows the path; an executor that perturbs its logits is caught, forfeits, and is routed around afterwards.
/// </summary>
public sealed class AccountabilityNetworkTests
{
    private static readonly int[] Prompt = [1, 400, 401, 402];

    [Stories260kFact]
    public async Task HonestCompletion_ReceiptAndVerdictLandInBlocks_AndACheaterIsCaughtAndRoutedAround()
    {
        await using var cluster = new AccountabilityCluster();
        var a = await cluster.StartAsync("a", mining: true);
        var b = await cluster.StartAsync("b", mining: true);
        var c = await cluster.StartAsync("c", mining: false);
        var cheater = await cluster.StartAsync("d", mining: false, "--unsafe-test-cheat", "perturb-logits");
        Assert.Contains("UNSAFE TEST CHEAT", cheater.Process.StandardOutput + cheater.Process.StandardError, StringComparison.Ordinal);
        await InferenceNodesAdverts(cluster, a, 4);
        // Declarations go out when each node has loaded its model; two more blocks put them on chain.
        ulong start = await AccountabilityCluster.HeightAsync(a);
        await cluster.UntilAsync(async () => await AccountabilityCluster.HeightAsync(a) >= start + 2 ? "" : null, TimeSpan.FromSeconds(60), "the chain did not grow by 2 blocks");

        // An honest completion: its receipt is drawn (100 %), judged valid by another node, final on chain.
        string[] honest = [a.PeerId, b.PeerId, c.PeerId];
        string? honestReceipt = null;
        string? cheatReceipt = null;
        for (int attempt = 0; attempt < 24 && (honestReceipt is null || cheatReceipt is null); attempt++)
        {
            var (task, route) = await AccountabilityCluster.CompleteAsync(a, [.. Prompt, 403 + attempt], attempt % 2 == 0 ? 0f : 0.8f, (ulong)attempt);
            Assert.Single(route);
            if (route[0] == cheater.PeerId) cheatReceipt ??= await cluster.ReceiptOfAsync(a, task);
            else if (honestReceipt is null) honestReceipt = await cluster.ReceiptOfAsync(a, task);
        }
        Assert.NotNull(honestReceipt);
        Assert.NotNull(cheatReceipt);

        var valid = (await cluster.ReceiptInStateAsync(a, honestReceipt, TimeSpan.FromSeconds(90), "final_valid", "final_invalid", "unvalidated", "not_drawn"));
        Assert.Equal("final_valid", valid.GetProperty("state").GetString());
        Assert.True(valid.GetProperty("drawn").GetBoolean());
        Assert.NotNull(valid.GetProperty("taskId").GetString());
        var verdicts = valid.GetProperty("verdicts").EnumerateArray().ToList();
        Assert.NotEmpty(verdicts);
        Assert.True(verdicts[0].GetProperty("valid").GetBoolean());
        Assert.Equal("reproduced", verdicts[0].GetProperty("reason").GetString());
        var executorKey = valid.GetProperty("receipt").GetProperty("executor").GetString();
        Assert.DoesNotContain(verdicts, v => v.GetProperty("validator").GetString() == executorKey);
        Assert.True(verdicts[0].GetProperty("height").GetUInt64() <= valid.GetProperty("deadline").GetUInt64());
        Assert.Empty(valid.GetProperty("forfeits").EnumerateArray());

        // The cheater's receipt: judged invalid, confirmed by escalation, the executor forfeits and is routed around.
        var caught = (await cluster.ReceiptInStateAsync(a, cheatReceipt, TimeSpan.FromSeconds(120), "final_valid", "final_invalid", "unvalidated", "not_drawn"));
        Assert.Equal("final_invalid", caught.GetProperty("state").GetString());
        var cheaterKey = caught.GetProperty("receipt").GetProperty("executor").GetString();
        Assert.Contains(caught.GetProperty("forfeits").EnumerateArray(), f => f.GetString() == cheaterKey);
        Assert.All(caught.GetProperty("verdicts").EnumerateArray(), v => Assert.False(v.GetProperty("valid").GetBoolean()));
        await cluster.UntilAsync(async () =>
        {
            var receipts = await a.Http.GetFromJsonAsync<JsonElement>("api/v1/receipts");
            return receipts.GetProperty("convictedPeers").EnumerateArray().Any(p => p.GetString() == cheater.PeerId) ? "" : null;
        }, TimeSpan.FromSeconds(30), "the gateway did not convict the cheater");
        for (int i = 0; i < 6; i++)
        {
            var (_, route) = await AccountabilityCluster.CompleteAsync(a, [.. Prompt, 500 + i], 0.5f, (ulong)(100 + i));
            Assert.Contains(route[0], honest);
        }
    }

    private static Task InferenceNodesAdverts(AccountabilityCluster cluster, AccountabilityCluster.Node gateway, int count) => cluster.UntilAsync(async () =>
    {
        var directory = await gateway.Http.GetFromJsonAsync<JsonElement>("api/v1/inference/directory");
        return directory.GetProperty("adverts").GetArrayLength() >= count ? "" : null;
    }, TimeSpan.FromSeconds(60), $"{gateway.Name} does not see {count} adverts");
}
