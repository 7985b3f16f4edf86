using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Chain;

/// <summary>
/// Issue 13 acceptance 1 and 2 on real processes: mining nodes agree on head and state digest, a late node syncs
/// and follows, a <c>p2pd send</c> transfer moves the balance on every node, and stopped or killed miners come back
/// and agree again.
/// </summary>
public sealed class ChainNetworkTests
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

        // Agreement after a full epoch, so that rewards exist to send.
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
            Assert.True(await ChainCluster.UntilAsync(async () => await node.BalanceAsync(recipient) == 1000, Limit), $"{node.Name} never saw the transfer");
        }

        // A fifth node, started three epochs after genesis, catches up to the same head and digest and then follows.
        await ChainCluster.AgreementAsync(miners, 3UL * (ulong)cluster.Genesis.EpochLength, Limit);
        var late = await cluster.StartAsync("late", mining: false, bootstrap);
        var caughtUp = await ChainCluster.AgreementAsync(cluster.Nodes, agreed.Height, Limit);
        var followed = await ChainCluster.AgreementAsync(cluster.Nodes, caughtUp.Height + 2, Limit);
        Assert.True(followed.Height > caughtUp.Height);
        Assert.Equal(1000UL, await late.BalanceAsync(recipient));
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
        Assert.True(await ChainCluster.UntilAsync(async () => ((await first.TryHeadAsync())?.Height ?? 0) >= before.Height + 3, Limit));
        await ChainCluster.RestartAsync(stopped);
        await ChainCluster.RestartAsync(killed);
        var aliveHeight = (await first.TryHeadAsync())!.Value.Height;
        var after = await ChainCluster.AgreementAsync(cluster.Nodes, aliveHeight + 1, Limit);

        // The same head and state digest on all three: the restarted nodes hold exactly the survivor's ledger, nothing
        // credited twice (a re-applied block or epoch split would change the digest).
        Assert.True(after.Height > before.Height);
        foreach (var node in new[] { stopped, killed }) Assert.DoesNotContain("inconsistent", node.Logs);
    }
}
