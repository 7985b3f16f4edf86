using System.Globalization;
using System.Text.RegularExpressions;
using P2P.Daemon.Tests.Support;
using Xunit.Abstractions;

namespace P2P.Daemon.Tests.Chain;

/// <summary>
/// Issue 13 acceptance 1 and 2 on real processes: mining nodes agree on head and state digest, a late node syncs
/// and follows, a <c>p2pd send</c> transfer moves the balance on every node, and stopped or killed miners come back
/// and agree again.
/// </summary>
public sealed class ChainNetworkTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task FourMiners_AgreeOnHeadAndDigest_ATransferMovesTheBalanceEverywhere_ALateNodeSyncsAndFollows()
    {
        await using var cluster = new ChainCluster();
        var first = await cluster.StartAsync("a", mining: true, bootstrap: null);
        var bootstrap = await first.AddressAsync();
        for (int i = 1; i < 4; i++) await cluster.StartAsync(((char)('a' + i)).ToString(), mining: true, bootstrap);
        var miners = cluster.Nodes.ToList();
        await using var watch = new HeadDigestWatch(() => cluster.Nodes);

        // Agreement after a full epoch, so that rewards exist to send. From here all four are connected: every later
        // block must reach all of them within two block times.
        var agreed = await ChainCluster.AgreementAsync(miners, (ulong)cluster.Genesis.EpochLength + 1, Limit);

        // Whoever holds a reward sends part of it to a fresh key through the CLI.
        ChainTestNode? sender = null;
        foreach (var node in miners)
        {
            if (await node.BalanceAsync(await node.RewardKeyAsync()) >= 1000) { sender = node; break; }
        }
        Assert.NotNull(sender);
        var recipient = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var send = await DaemonProcess.RunToExitAsync(["send", recipient, "1000", "--fee", "1", "--data-dir", sender.DataDirectory, $"--Api:Port={sender.ApiPort}"]);
        Assert.True(send.ExitCode == 0, send.StandardError);
        Assert.Contains("sent 1000 (fee 1)", send.StandardOutput);
        foreach (var node in miners)
        {
            Assert.True(await Wait.UntilAsync(async () => await node.BalanceAsync(recipient) == 1000, Limit), $"{node.Name} never saw the transfer");
        }
        // It landed in a main-chain block, the same block on every node once the tip's short forks (four miners, 2 s
        // blocks) are resolved: each node may first hold the transfer in its own competing block at that height.
        (ulong Height, string Hash)? landed = null;
        Assert.True(await Wait.UntilAsync(async () =>
        {
            landed = await FindTransferAsync(first, recipient, agreed.Height + 1);
            if (landed is not { } found) return false;
            foreach (var node in miners)
            {
                if ((await node.BlockAsync(found.Height)).Hash != found.Hash) return false;
            }
            return true;
        }, Limit), $"the nodes never agreed on one block carrying the transfer (last seen on a: {landed?.Height} {landed?.Hash})");

        // A fifth node, started three epochs after genesis, catches up to the head the miners had when it started (and
        // the same digest), then follows new blocks as they are gossiped.
        await ChainCluster.AgreementAsync(miners, 3UL * (ulong)cluster.Genesis.EpochLength, Limit);
        ulong headAtStart = 0;
        foreach (var node in miners) headAtStart = Math.Max(headAtStart, (await node.TryHeadAsync())?.Height ?? 0);
        var late = await cluster.StartAsync("late", mining: false, bootstrap);
        var caughtUp = await ChainCluster.AgreementAsync(cluster.Nodes, headAtStart, Limit);
        // At least two epochs of blocks measured below, however late the first agreement came.
        var followed = await ChainCluster.AgreementAsync(cluster.Nodes, Math.Max(caughtUp.Height + 2, agreed.Height + 2UL * (ulong)cluster.Genesis.EpochLength), Limit);
        Assert.True(followed.Height > caughtUp.Height);
        Assert.Equal(1000UL, await late.BalanceAsync(recipient));
        // Blocks that arrive while the late node's last sync round still runs are applied from that round (or as
        // orphans), so it is the first gossiped one that shows it follows; the blocks come on their own, bounded by Limit.
        var lateSources = new List<string?>();
        Assert.True(await Wait.UntilAsync(async () =>
        {
            ulong head = (await late.TryHeadAsync())?.Height ?? 0;
            for (ulong h = caughtUp.Height + 1 + (ulong)lateSources.Count; h <= head; h++) lateSources.Add((await late.BlockAsync(h)).AppliedFrom);
            return lateSources.Contains("gossip");
        }, Limit), $"the late node got none of the blocks after catching up by gossip: {string.Join(",", lateSources)}");

        // Acceptance 1's bound, on every block mined while all four were up: every node applied it within 2 target
        // block times of the first node that had it (the miner), by the nodes' own apply times on this one machine's
        // clock. The late node counts from the second block after it caught up (the first may have been mined while
        // it was still syncing).
        // With the test genesis's 2 s blocks the bound is 4 s. Measured on the loaded 2-core machine (load average
        // 20-30, 4 miners and a late node sharing it): median spread 190-300 ms, worst 320-720 ms over two runs, so 2 s
        // blocks keep a wide margin (longer blocks would only lengthen the test).
        var bound = TimeSpan.FromSeconds(2 * cluster.Genesis.TargetBlockSeconds);
        var spreads = new List<(ulong Height, TimeSpan Spread)>();
        for (ulong h = agreed.Height + 1; h <= followed.Height; h++)
        {
            var holders = h > caughtUp.Height + 1 ? cluster.Nodes : miners;
            var times = new List<DateTimeOffset>();
            foreach (var node in holders)
            {
                var block = await node.BlockAsync(h);
                Assert.True(block.AppliedAt is not null, $"{node.Name} has no apply time for block {h}");
                times.Add(block.AppliedAt!.Value);
            }
            spreads.Add((h, times.Max() - times.Min()));
        }
        var worst = spreads.MaxBy(s => s.Spread);
        Assert.True(worst.Spread <= bound, $"block {worst.Height} reached the last node {worst.Spread.TotalMilliseconds:F0} ms after the first (bound {bound}); " +
                                           string.Join(", ", spreads.Select(s => $"{s.Height}:{s.Spread.TotalMilliseconds:F0}ms")));
        Assert.True(spreads.Count >= 2 * cluster.Genesis.EpochLength, $"only {spreads.Count} blocks measured");
        output.WriteLine($"{spreads.Count} blocks, spread between the first and last node to apply each: median " +
                         $"{spreads.Select(s => s.Spread.TotalMilliseconds).Order().ElementAt(spreads.Count / 2):F0} ms, worst {worst.Spread.TotalMilliseconds:F0} ms (block {worst.Height}), bound {bound.TotalMilliseconds:F0} ms");

        // Whenever any two nodes reported the same head, they reported the same state digest with it.
        await watch.DisposeAsync();
        Assert.Empty(watch.Conflicts);
        Assert.True(watch.SharedHeads >= cluster.Genesis.EpochLength, $"the watch saw only {watch.SharedHeads} heads on two or more nodes");
    }

    /// <summary>The main-chain block of <paramref name="node"/> carrying the transfer, or null while it has none (a reorganisation may have put it back in the pool).</summary>
    private static async Task<(ulong Height, string Hash)?> FindTransferAsync(ChainTestNode node, string recipient, ulong fromHeight)
    {
        ulong head = (await node.TryHeadAsync())!.Value.Height;
        for (ulong h = fromHeight; h <= head; h++)
        {
            var block = await node.BlockAsync(h);
            foreach (var transfer in block.Block.GetProperty("transfers").EnumerateArray())
            {
                if (transfer.GetProperty("to").GetString() == recipient && transfer.GetProperty("amount").GetUInt64() == 1000) return (h, block.Hash);
            }
        }
        return null;
    }

    [Fact]
    public async Task MinersStoppedWithSigtermAndKilledWithSigkill_ComeBack_SyncWhatTheyMissed_AndAgreeWithoutRecrediting()
    {
        await using var cluster = new ChainCluster();
        var first = await cluster.StartAsync("a", mining: true, bootstrap: null);
        var bootstrap = await first.AddressAsync();
        var stopped = await cluster.StartAsync("term", mining: true, bootstrap);
        var killed = await cluster.StartAsync("kill", mining: true, bootstrap);
        var before = await ChainCluster.AgreementAsync(cluster.Nodes, 3, Limit);

        stopped.Process.Signal(Posix.SigTerm);
        Assert.True(await stopped.Process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, stopped.Process.ExitCode);
        killed.Process.Signal(Posix.SigKill);
        Assert.True(await killed.Process.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        // The survivor mines on alone; the two come back behind it.
        Assert.True(await Wait.UntilAsync(async () => ((await first.TryHeadAsync())?.Height ?? 0) >= before.Height + 3, Limit));
        await ChainCluster.RestartAsync(stopped);
        await ChainCluster.RestartAsync(killed);
        // Both reopened their own store (nothing lost: the head they had agreed on is still there) and only then synced.
        foreach (var node in new[] { stopped, killed })
        {
            Assert.True(await Wait.UntilAsync(() => Task.FromResult(OpenedHead(node) is not null), Limit), $"{node.Name} logged no chain head at start:\n{node.Logs}");
            Assert.True(OpenedHead(node) >= before.Height, $"{node.Name} reopened at {OpenedHead(node)}, below the agreed {before.Height}");
        }
        var aliveHeight = (await first.TryHeadAsync())!.Value.Height;
        var after = await ChainCluster.AgreementAsync(cluster.Nodes, aliveHeight + 1, Limit);

        // The same head and state digest on all three: the restarted nodes hold exactly the survivor's ledger, nothing
        // credited twice (a re-applied block or epoch split would change the digest).
        Assert.True(after.Height > before.Height);
        foreach (var node in new[] { stopped, killed }) Assert.DoesNotContain("inconsistent", node.Logs);
    }

    /// <summary>The head height the node's chain service logged when it opened the store (this process run).</summary>
    private static ulong? OpenedHead(ChainTestNode node) =>
        Regex.Match(node.Logs, @"id [0-9a-f]+: head (\d+) ") is { Success: true } m ? ulong.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
}
