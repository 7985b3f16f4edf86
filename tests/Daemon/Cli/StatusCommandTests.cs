using P2P.Daemon.Chain;
using P2P.Daemon.Cli;

namespace P2P.Daemon.Tests.Cli;

/// <summary><c>p2pd status</c>'s pure parts (the screen on a running devnet: Devnet/RunningDevnetTests).</summary>
public sealed class StatusCommandTests
{
    [Fact]
    public void SyncLine_DrawsAProgressBarWhileSyncing()
    {
        var syncing = Chain(height: 256, state: "syncing", target: 1024);
        Assert.Equal("syncing [#####---------------] 256/1024 (25%) from 3 peer(s)", StatusCommand.SyncLine(syncing).Replace(" %", "%", StringComparison.Ordinal));
        Assert.Equal("idle", StatusCommand.SyncLine(Chain(height: 1024, state: "idle", target: 0)));
    }

    private static ChainResponse Chain(ulong height, string state, ulong target) =>
        new("c", "p2p-devnet", "g", height, "h", "0", 0, 0, "1d00ffff", "d", state, target, 3, 0, 0, 0, 0, 5, 24);
}
