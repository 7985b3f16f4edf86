using System.Numerics;
using System.Text.Json;
using P2P.Daemon.Devnet;

namespace P2P.Bench.Soak;

/// <summary>
/// Checks "no receipt credited twice" against the chain, not a node's memory: walks one node's main chain block by block
/// (<c>/api/v1/blocks/{height}</c>, each block's parent the previous one's hash), counts every receipt id, looks up each
/// receipt the gateways announced (<c>/api/v1/receipts</c>), and checks the ledger's totals (<c>/api/v1/ledger</c>,
/// <c>/api/v1/epochs/{n}</c>): issued + forfeited = schedule, Σ balances = issued, and the closed epochs add up to both;
/// then tallies the receipts' verdicts by reason (<see cref="VerdictAudit"/>).
/// </summary>
public sealed class ChainAudit(DevnetNode node, IReadOnlyList<DevnetNode> gateways, IReadOnlyList<DevnetNode> nodes, IReadOnlyDictionary<int, int> stopsByNode,
    CancellationToken cancellation)
{
    /// <summary>Mining goes on during the walk; a reorganisation under it (a parent that does not match) starts it again, this many times.</summary>
    private const int WalkAttempts = 3;

    /// <summary>The most <c>/api/v1/receipts</c> returns: each gateway's newest this many receipts are looked up.</summary>
    private const int AnnouncedPerGateway = 1000;

    /// <summary>A loaded node may answer slowly; at the end of a soak a slow answer is still an answer.</summary>
    private readonly DevnetProbe _probe = new(TimeSpan.FromSeconds(20));

    public async Task<ChainAuditResult> RunAsync()
    {
        using var probe = _probe;
        for (int attempt = 1; attempt <= WalkAttempts; attempt++)
        {
            if (await _probe.GetAsync(node, "api/v1/ledger", cancellation) is not { } ledger) return ChainAuditResult.Failed(node.Name, $"node {node.Name} did not answer GET /api/v1/ledger");
            ulong height = ledger.GetProperty("height").GetUInt64();
            string headHash = ledger.GetProperty("headHash").GetString()!;
            var walk = await WalkAsync(height, headHash);
            if (walk is null) continue;
            return await CheckAsync(ledger, height, walk);
        }
        return ChainAuditResult.Failed(node.Name, $"node {node.Name}'s main chain changed under each of {WalkAttempts} walks");
    }

    /// <summary>Receipt id → the heights of the blocks holding it, or null when the chain reorganised during the walk.</summary>
    private async Task<Dictionary<string, List<ulong>>?> WalkAsync(ulong height, string headHash)
    {
        var receipts = new Dictionary<string, List<ulong>>();
        string? parent = null;
        for (ulong h = 0; h <= height; h++)
        {
            if (await _probe.GetAsync(node, $"api/v1/blocks/{h}", cancellation) is not { } block) return null;
            if (parent is not null && block.GetProperty("parentHash").GetString() != parent) return null;
            parent = block.GetProperty("hash").GetString();
            foreach (var id in block.GetProperty("receiptIds").EnumerateArray().Select(r => r.GetString()!))
            {
                if (!receipts.TryGetValue(id, out var heights)) receipts[id] = heights = [];
                heights.Add(h);
            }
        }
        return parent == headHash ? receipts : null;
    }

    private async Task<ChainAuditResult> CheckAsync(JsonElement ledger, ulong height, Dictionary<string, List<ulong>> onChain)
    {
        var problems = new List<string>();
        var duplicates = onChain.Where(r => r.Value.Count > 1).Select(r => $"{r.Key[..16]} at heights {string.Join(", ", r.Value)}").ToList();
        if (duplicates.Count > 0) problems.Add($"{duplicates.Count} receipt(s) in more than one main-chain block: {string.Join("; ", duplicates.Take(5))}");

        var announced = new HashSet<string>();
        int answered = 0;
        foreach (var gateway in gateways)
        {
            if (await _probe.GetAsync(gateway, $"api/v1/receipts?limit={AnnouncedPerGateway}", cancellation) is not { } list) continue;
            answered++;
            foreach (var row in list.GetProperty("receipts").EnumerateArray()) announced.Add(row.GetProperty("receiptId").GetString()!.ToLowerInvariant());
        }
        if (answered == 0) problems.Add($"none of {gateways.Count} gateway(s) answered GET /api/v1/receipts");
        int announcedOnChain = announced.Count(onChain.ContainsKey);
        int announcedTwice = announced.Count(id => onChain.TryGetValue(id, out var heights) && heights.Count > 1);

        ulong epochsClosed = ledger.GetProperty("epochsClosed").GetUInt64();
        var scheduled = BigInteger.Parse(ledger.GetProperty("scheduled").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        ulong issued = ledger.GetProperty("issued").GetUInt64(), forfeited = ledger.GetProperty("forfeited").GetUInt64();
        var balances = BigInteger.Parse(ledger.GetProperty("balances").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        if (issued + (BigInteger)forfeited != scheduled) problems.Add($"issued {issued} + forfeited {forfeited} ≠ the schedule {scheduled}");
        if (balances != issued) problems.Add($"balances sum to {balances}, {issued} were issued");

        BigInteger epochsIssued = 0, epochsForfeited = 0;
        ulong drawn = 0, valid = 0, invalid = 0;
        for (ulong e = 0; e <= epochsClosed; e++)
        {
            if (await _probe.GetAsync(node, $"api/v1/epochs/{e}", cancellation) is not { } epoch)
            {
                // The epoch after the closed ones has not started when the head is an epoch's last block; a closed one must answer.
                if (e < epochsClosed) problems.Add($"node {node.Name} did not answer GET /api/v1/epochs/{e}");
                continue;
            }
            var validation = epoch.GetProperty("validation");
            drawn += validation.GetProperty("drawn").GetUInt64();
            valid += validation.GetProperty("valid").GetUInt64();
            invalid += validation.GetProperty("invalid").GetUInt64();
            if (e >= epochsClosed) continue;
            ulong epochIssued = epoch.GetProperty("issued").GetUInt64(), epochForfeited = epoch.GetProperty("forfeited").GetUInt64();
            if (epochIssued + (BigInteger)epochForfeited != epoch.GetProperty("scheduled").GetUInt64()) problems.Add($"epoch {e}: issued {epochIssued} + forfeited {epochForfeited} ≠ its issuance");
            epochsIssued += epochIssued;
            epochsForfeited += epochForfeited;
        }
        if (epochsIssued != issued || epochsForfeited != forfeited)
            problems.Add($"the closed epochs issued {epochsIssued} and forfeited {epochsForfeited}, the ledger's totals say {issued} and {forfeited}");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var verdicts = await new VerdictAudit(node, nodes, stopsByNode, _probe, cancellation).RunAsync(onChain.Keys);
        verdicts = verdicts with { ReadIn = clock.Elapsed };
        if (verdicts.FalseRejections > 0) problems.Add($"{verdicts.FalseRejections} receipt(s) of honest executors final invalid for another reason than an unavailable record");
        return new ChainAuditResult(node.Name, height, onChain.Count, duplicates, announced.Count, announcedOnChain, announcedTwice, drawn, valid, invalid,
            epochsClosed, scheduled, issued, forfeited, balances, problems)
        {
            Verdicts = verdicts,
        };
    }
}
