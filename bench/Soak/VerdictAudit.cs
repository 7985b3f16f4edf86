using System.Text.Json;
using P2P.Daemon.Devnet;
using P2P.Networking.Identity;

namespace P2P.Bench.Soak;

/// <summary>
/// Reads the path of every receipt on the main chain (<c>/api/v1/receipts/{id}</c> on one node: state, verdicts with
/// their reason codes) and tallies it (<see cref="VerdictTally"/>): whether "invalid" means a killed executor that could
/// not show its record (reason 3, by design against it) or a re-run that did not match — a false rejection if the
/// executor was honest, and every soak executor is.
/// </summary>
public sealed class VerdictAudit(DevnetNode node, IReadOnlyList<DevnetNode> nodes, IReadOnlyDictionary<int, int> stopsByNode, DevnetProbe probe, CancellationToken cancellation)
{
    private const int SuspectsShown = 10;

    /// <summary>Lookups in flight at once: the nodes are loaded, and thousands of receipts one after another take minutes.</summary>
    private const int LookupsInFlight = 4;

    public async Task<VerdictTally> RunAsync(IEnumerable<string> receiptIds)
    {
        var byState = new Dictionary<string, int>();
        var byReason = new Dictionary<string, int>();
        var finalInvalid = new Dictionary<(string, string), int>();
        var suspects = new List<string>();
        int unanswered = 0;
        var gate = new Lock();
        await Parallel.ForEachAsync(receiptIds, new ParallelOptions { MaxDegreeOfParallelism = LookupsInFlight, CancellationToken = cancellation }, async (id, ct) =>
        {
            var receipt = await probe.GetAsync(node, $"api/v1/receipts/{id}", ct);
            lock (gate)
            {
                if (receipt is { } found) Tally(id, found, byState, byReason, finalInvalid, suspects);
                else unanswered++;
            }
        });
        var stops = nodes.ToDictionary(n => n.Name, n => stopsByNode.GetValueOrDefault(n.Index));
        return new VerdictTally(byState, byReason, finalInvalid, stops, suspects, unanswered);
    }

    private void Tally(string id, JsonElement receipt, Dictionary<string, int> byState, Dictionary<string, int> byReason, Dictionary<(string, string), int> finalInvalid, List<string> suspects)
    {
        string state = receipt.GetProperty("state").GetString()!;
        Count(byState, state);
        var verdicts = receipt.GetProperty("verdicts").EnumerateArray().ToList();
        foreach (var verdict in verdicts) Count(byReason, $"{(verdict.GetProperty("valid").GetBoolean() ? "valid" : "invalid")}/{verdict.GetProperty("reason").GetString()}");
        if (state != "final_invalid") return;
        var reasons = verdicts.Where(v => !v.GetProperty("valid").GetBoolean()).Select(v => v.GetProperty("reason").GetString()!).Distinct().Order(StringComparer.Ordinal).ToList();
        string reason = string.Join("+", reasons);
        string executor = NodeOf(receipt.GetProperty("receipt").GetProperty("executor").GetString()!);
        finalInvalid[(reason, executor)] = finalInvalid.GetValueOrDefault((reason, executor)) + 1;
        if (reasons.Any(r => r != VerdictTally.Unavailable) && suspects.Count < SuspectsShown) suspects.Add(Describe(id, executor, receipt, verdicts));
    }

    /// <summary>The devnet node whose node key signed as executor (its peer id), or the key's start when none is.</summary>
    private string NodeOf(string executorKeyHex)
    {
        var peerId = new Ed25519PublicKey(Convert.FromHexString(executorKeyHex)).ToPeerId().ToString();
        return nodes.FirstOrDefault(n => n.PeerId == peerId)?.Name ?? executorKeyHex[..12];
    }

    private string Describe(string id, string executor, JsonElement receipt, List<JsonElement> verdicts) =>
        $"receipt {id[..16]} of executor node {executor}, span {receipt.GetProperty("receipt").GetProperty("shardStart")}-{receipt.GetProperty("receipt").GetProperty("shardEnd")}, " +
        $"block {receipt.GetProperty("height")}, verdicts " +
        string.Join(", ", verdicts.Select(v => $"{NodeOf(v.GetProperty("validator").GetString()!)}:{(v.GetProperty("valid").GetBoolean() ? "valid" : "invalid")}/{v.GetProperty("reason").GetString()}@{v.GetProperty("height")}"));

    private static void Count(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}
