using System.Net.Http.Json;
using System.Text.Json;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Accountability;

/// <summary>
/// Acceptance 1–3 of #15 on real processes: four nodes serve stories260k on a devnet that validates every receipt. C is
/// the only miner, so from epoch 1 its epoch weight makes it the lottery's first validator almost always — and C lies
/// (<c>lie-invalid</c>); D perturbs its logits. An honest completion's receipt and C's false verdict land in blocks, the
/// escalation's re-runs outvote C, C forfeits; D's receipt is judged invalid, D forfeits; both are routed around after.
/// </summary>
public sealed class AccountabilityNetworkTests
{
    private static readonly int[] Prompt = [1, 400, 401, 402];

    [Stories260kFact]
    public async Task Receipts_AndVerdicts_LandInBlocks_ACheaterAndALyingValidatorForfeit_AndAreRoutedAround()
    {
        await using var cluster = new AccountabilityCluster();
        var a = await cluster.StartAsync("a", mining: false);
        var b = await cluster.StartAsync("b", mining: false);
        var liar = await cluster.StartAsync("c", mining: true, "--unsafe-test-cheat", "lie-invalid");
        var cheater = await cluster.StartAsync("d", mining: false, "--unsafe-test-cheat", "perturb-logits");
        Assert.Contains("UNSAFE TEST CHEAT", cheater.Process.StandardOutput + cheater.Process.StandardError, StringComparison.Ordinal);
        await cluster.UntilAsync(async () =>
        {
            var directory = await a.Http.GetFromJsonAsync<JsonElement>("api/v1/inference/directory");
            return directory.GetProperty("adverts").GetArrayLength() >= 4 ? "" : null;
        }, TimeSpan.FromSeconds(60), "a does not see 4 adverts");
        // Epoch 1 weighs the lottery by epoch 0's shares (all C's); every node has declared its span by then.
        ulong epochLength = (ulong)cluster.Genesis.EpochLength;
        await cluster.UntilAsync(async () => await AccountabilityCluster.HeightAsync(a) >= epochLength + 1 ? "" : null, TimeSpan.FromSeconds(90), "the chain did not reach epoch 1");

        // Several of each: a receipt signed as an epoch ends can miss that epoch's blocks and is then never drawn.
        var honestReceipts = new List<string>();
        var cheatReceipts = new List<string>();
        for (int attempt = 0; attempt < 40 && (honestReceipts.Count < 4 || cheatReceipts.Count < 2); attempt++)
        {
            var (task, route) = await AccountabilityCluster.CompleteAsync(a, [.. Prompt, 403 + attempt], attempt % 2 == 0 ? 0f : 0.8f, (ulong)attempt);
            Assert.Single(route);
            if (route[0] == cheater.PeerId) cheatReceipts.Add(await cluster.ReceiptOfAsync(a, task));
            else if (route[0] != liar.PeerId) honestReceipts.Add(await cluster.ReceiptOfAsync(a, task));
        }
        Assert.NotEmpty(cheatReceipts);
        Assert.NotEmpty(honestReceipts);
        string[] drawnStates = ["open", "final_valid", "final_invalid", "unvalidated", "not_drawn"];

        // Acceptance 1 and 3: an honest receipt judged first by the liar — its false verdict, the escalation's, the final state.
        var liarKey = await KeyOfAsync(liar);
        JsonElement? lied = null;
        foreach (var id in honestReceipts)
        {
            if (await AccountabilityCluster.TryReceiptInStateAsync(a, id, TimeSpan.FromSeconds(20), drawnStates) is not { } drawn) continue;
            Assert.True(drawn.GetProperty("drawn").GetBoolean(), drawn.ToString());
            if (drawn.GetProperty("validators")[0].GetString() == liarKey)
            {
                lied = drawn;
                break;
            }
        }
        Assert.True(lied is not null, "the liar, the only miner, was the first validator of none of the honest receipts");
        var honestId = lied.Value.GetProperty("receiptId").GetString()!;
        var valid = await cluster.ReceiptInStateAsync(a, honestId, TimeSpan.FromSeconds(90), "final_valid", "final_invalid", "unvalidated");
        Assert.Equal("final_valid", valid.GetProperty("state").GetString());
        Assert.NotNull(valid.GetProperty("taskId").GetString());
        Assert.NotNull(valid.GetProperty("blockHash").GetString());
        var verdicts = valid.GetProperty("verdicts").EnumerateArray().ToList();
        Assert.Equal(liarKey, verdicts[0].GetProperty("validator").GetString());
        Assert.False(verdicts[0].GetProperty("valid").GetBoolean());
        Assert.Contains(verdicts, v => v.GetProperty("valid").GetBoolean() && v.GetProperty("reason").GetString() == "reproduced");
        Assert.True(verdicts[0].GetProperty("height").GetUInt64() <= valid.GetProperty("deadline").GetUInt64());
        var executorKey = valid.GetProperty("receipt").GetProperty("executor").GetString();
        Assert.DoesNotContain(verdicts, v => v.GetProperty("validator").GetString() == executorKey);
        var forfeits = valid.GetProperty("forfeits").EnumerateArray().Select(f => f.GetString()).ToList();
        Assert.Contains(liarKey, forfeits);
        Assert.DoesNotContain(executorKey, forfeits);

        // Acceptance 2: the cheater's receipt is final invalid, the cheater forfeits.
        string? cheatReceipt = null;
        foreach (var id in cheatReceipts)
        {
            if (await AccountabilityCluster.TryReceiptInStateAsync(a, id, TimeSpan.FromSeconds(20), drawnStates) is null) continue;
            cheatReceipt = id;
            break;
        }
        Assert.True(cheatReceipt is not null, "none of the cheater's receipts reached a block");
        var caught = await cluster.ReceiptInStateAsync(a, cheatReceipt, TimeSpan.FromSeconds(90), "final_valid", "final_invalid", "unvalidated");
        Assert.Equal("final_invalid", caught.GetProperty("state").GetString());
        var cheaterKey = caught.GetProperty("receipt").GetProperty("executor").GetString();
        Assert.Contains(caught.GetProperty("forfeits").EnumerateArray(), f => f.GetString() == cheaterKey);
        Assert.Contains(caught.GetProperty("verdicts").EnumerateArray(), v => !v.GetProperty("valid").GetBoolean() && v.GetProperty("validator").GetString() != liarKey);

        // Both are routed around afterwards.
        await cluster.UntilAsync(async () =>
        {
            var receipts = await a.Http.GetFromJsonAsync<JsonElement>("api/v1/receipts");
            var convicted = receipts.GetProperty("convictedPeers").EnumerateArray().Select(p => p.GetString()).ToList();
            return convicted.Contains(cheater.PeerId) && convicted.Contains(liar.PeerId) ? "" : null;
        }, TimeSpan.FromSeconds(30), "the gateway did not convict the cheater and the liar");
        for (int i = 0; i < 6; i++)
        {
            var (_, route) = await AccountabilityCluster.CompleteAsync(a, [.. Prompt, 500 + i], 0.5f, (ulong)(100 + i));
            Assert.Contains(route[0], new[] { a.PeerId, b.PeerId });
        }
    }

    private static async Task<string> KeyOfAsync(AccountabilityCluster.Node node)
    {
        var mining = await node.Http.GetFromJsonAsync<JsonElement>("api/v1/mining");
        return mining.GetProperty("rewardKey").GetString()!;
    }
}
