using System.Diagnostics;
using P2P.Daemon.Devnet;

namespace P2P.Bench.Soak;

/// <summary>
/// Brings up a devnet (the same code as <c>p2pd devnet up</c>), loads it with chat clients through different gateways
/// while <see cref="ChaosLoop"/> kills and restarts nodes, then checks agreement, answers, memory and the chain's receipts and ledger (<see cref="ChainAudit"/>), and removes the devnet.
/// </summary>
public sealed class SoakRunner(SoakOptions options, TextWriter output)
{
    private static readonly TimeSpan ConvergenceBound = TimeSpan.FromSeconds(120);

    /// <summary>Blocks mined after the load stops before the audit, so that the receipts pooled by then are on chain (a template takes what the pool holds).</summary>
    private const int BlocksAfterLoad = 2;

    private static readonly TimeSpan BlocksAfterLoadBound = TimeSpan.FromSeconds(90);

    public async Task<SoakResult> RunAsync()
    {
        var launcher = new DevnetLauncher(output, output, TimeProvider.System);
        if (await launcher.UpAsync(new DevnetUpOptions(options.Directory, options.Nodes, null, 240, Foreground: false), CancellationToken.None) != 0)
            throw new InvalidOperationException("the devnet did not come up");
        var manifest = DevnetManifest.Load(Path.GetFullPath(options.Directory))!;
        SoakResult? result = null;
        try
        {
            result = await LoadAndCheckAsync(manifest);
            return result;
        }
        finally
        {
            await DevnetProcesses.StopAsync(manifest.Nodes, output);
            if (result is not { Holds: true }) KeepLogs(manifest);
            Directory.Delete(manifest.Directory, recursive: true);
        }
    }

    /// <summary>A failed soak's node logs outlive the devnet's removal: they are what explains the failure.</summary>
    private void KeepLogs(DevnetManifest manifest)
    {
        var kept = Path.Combine(Path.GetTempPath(), $"p2pd-soak-logs-{Environment.ProcessId}-{DateTime.UtcNow:HHmmss}");
        Directory.CreateDirectory(kept);
        foreach (var node in manifest.Nodes.Where(n => File.Exists(n.LogFile))) File.Copy(node.LogFile, Path.Combine(kept, $"node{node.Name}.log"));
        output.WriteLine($"soak: the nodes' logs are kept in {kept}");
    }

    private async Task<SoakResult> LoadAndCheckAsync(DevnetManifest manifest)
    {
        var model = manifest.ModelSpec ?? throw new InvalidOperationException("the devnet genesis names no seeded model");
        var until = DateTime.UtcNow + options.Duration;
        var chaos = new ChaosLoop(manifest, options, output);
        var memory = new MemorySampler(manifest);
        var clients = Enumerable.Range(0, options.Clients).Select(i => new SoakClient(manifest.Nodes[i % manifest.Nodes.Count], model, chaos.WasDown)).ToList();
        output.WriteLine($"soak: {options.Clients} clients on gateways {string.Join(", ", clients.Select((_, i) => manifest.Nodes[i % manifest.Nodes.Count].Name))} for {options.Duration.TotalSeconds:F0} s, chaos every {options.ChaosInterval.TotalSeconds:F0} s");
        await Task.WhenAll([.. clients.Select(c => c.RunAsync(until)), chaos.RunAsync(until), memory.RunAsync(until)]);

        var problems = new List<string>(chaos.Failures);
        await AwaitBlocksAsync(manifest, BlocksAfterLoad);
        var (live, agreeing, head, convergedAfter, auditNode) = await ConvergeAsync(manifest);
        memory.Sample();
        if (live < manifest.Nodes.Count) problems.Add($"only {live} of {manifest.Nodes.Count} nodes run at the end");
        if (agreeing < live) problems.Add($"only {agreeing} of {live} live nodes agree on head and digest after {ConvergenceBound.TotalSeconds:F0} s ({await HeadsAsync(manifest)})");

        var outcomes = Enum.GetValues<RequestOutcome>().ToDictionary(o => o, o => clients.Sum(c => c.Outcomes[o]));
        if (outcomes[RequestOutcome.Unclean] > 0) problems.Add($"{outcomes[RequestOutcome.Unclean]} request(s) ended neither complete nor with a clean error");
        if (outcomes[RequestOutcome.Complete] == 0) problems.Add("no request was answered");
        var errorCodes = clients.SelectMany(c => c.ErrorCodes).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Sum(e => e.Value));
        long bound = (long)options.RssBoundMegabytes * 1024 * 1024;
        foreach (var (node, rss) in memory.MaxRssBytes.Where(m => m.Value > bound)) problems.Add($"node {node} reached {rss / (1024 * 1024)} MiB RSS");
        var running = manifest.Nodes.Where(n => DevnetProcesses.RunningPid(n) is not null).ToList();
        // The audit reads a node of the agreeing majority: a node still catching up would show a shorter chain.
        var auditor = running.FirstOrDefault(n => n.Index == auditNode) ?? running.FirstOrDefault();
        var chain = auditor is null
            ? ChainAuditResult.Failed("-", "no node runs to audit the chain")
            : await new ChainAudit(auditor, running, manifest.Nodes, chaos.StopsByNode, CancellationToken.None).RunAsync();
        problems.AddRange(chain.Problems);

        return new SoakResult(manifest.Nodes.Count, options.Duration, outcomes, errorCodes, clients.SelectMany(c => c.UncleanDetails).ToList(),
            chaos.Kills, chaos.Terminations, chaos.Restarts, live, agreeing, head.Height, head.Hash, head.Digest, convergedAfter,
            memory.MaxRssBytes, options.RssBoundMegabytes, chain, problems);
    }

    /// <summary>Each node's height and sync state, for a failed agreement's message.</summary>
    private static async Task<string> HeadsAsync(DevnetManifest manifest)
    {
        using var probe = new DevnetProbe();
        var heads = new List<string>();
        foreach (var node in manifest.Nodes)
        {
            heads.Add(await probe.GetAsync(node, "api/v1/chain", CancellationToken.None) is { } chain
                ? $"node {node.Name}: height {chain.GetProperty("height")} {chain.GetProperty("headHash").GetString()![..12]} {chain.GetProperty("syncState").GetString()}, {chain.GetProperty("syncPeers")} sync peers"
                : $"node {node.Name}: no answer");
        }
        return string.Join("; ", heads);
    }

    /// <summary>Waits (bounded) until some running node's head is <paramref name="blocks"/> above the highest head now; a stalled chain shows in the audit.</summary>
    private async Task AwaitBlocksAsync(DevnetManifest manifest, int blocks)
    {
        using var probe = new DevnetProbe();
        async Task<ulong> HighestAsync()
        {
            ulong highest = 0;
            foreach (var node in manifest.Nodes.Where(n => DevnetProcesses.RunningPid(n) is not null))
                highest = Math.Max(highest, await probe.HeightAsync(node, CancellationToken.None) ?? 0);
            return highest;
        }
        ulong target = await HighestAsync() + (ulong)blocks;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < BlocksAfterLoadBound && await HighestAsync() < target) await Task.Delay(250);
        output.WriteLine($"soak: {(clock.Elapsed < BlocksAfterLoadBound ? "" : "no ")}{blocks} more blocks within {clock.Elapsed.TotalSeconds:F0} s after the load");
    }

    /// <summary>
    /// Polls every node until all running ones report the same head and state digest at once. Mining goes on, so a
    /// poll between two blocks' propagation can disagree; agreement is what the nodes reach between blocks.
    /// </summary>
    private static async Task<(int Live, int Agreeing, (ulong Height, string Hash, string Digest) Head, TimeSpan After, int Node)> ConvergeAsync(DevnetManifest manifest)
    {
        using var probe = new DevnetProbe();
        var clock = Stopwatch.StartNew();
        (int, int, (ulong, string, string), TimeSpan, int) best = (0, 0, (0, "", ""), TimeSpan.Zero, 0);
        while (clock.Elapsed < ConvergenceBound)
        {
            var heads = new List<(int Node, (ulong Height, string Hash, string Digest) Head)>();
            foreach (var node in manifest.Nodes.Where(n => DevnetProcesses.RunningPid(n) is not null))
            {
                if (await probe.GetAsync(node, "api/v1/chain", CancellationToken.None) is { } chain && chain.GetProperty("syncState").GetString() != "syncing")
                    heads.Add((node.Index, (chain.GetProperty("height").GetUInt64(), chain.GetProperty("headHash").GetString()!, chain.GetProperty("stateDigest").GetString()!)));
            }
            var top = heads.GroupBy(h => h.Head).OrderByDescending(g => g.Count()).FirstOrDefault();
            int live = manifest.Nodes.Count(n => DevnetProcesses.RunningPid(n) is not null);
            if (top is not null && top.Count() >= best.Item2) best = (live, top.Count(), top.Key, clock.Elapsed, top.First().Node);
            if (top is not null && top.Count() == manifest.Nodes.Count) return best;
            await Task.Delay(250);
        }
        return best;
    }
}
